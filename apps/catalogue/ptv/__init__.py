"""Suomi.fi service catalogue (Palvelutietovaranto, PTV) import.

``client`` fetches the public Open API v11 over HTTP, ``mapping`` turns a PTV service and
its channels into one entry in the catalogue interchange shape (pure functions), and
``sync`` drives an import run; every write goes through ``apps.catalogue.services``.
"""
