"""The OpenAPI 3 description of ``GET /api/v1/search``, served at ``/api/v1/openapi.json``.

Built in code, so that the enums (document types, municipality codes, service line keys)
are the ones the API accepts at the moment, and a test (Schemathesis) checks the API
against it: the responses' shapes, and that no input gives a 5xx.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

ERROR = {
    "type": "object",
    "required": ["detail"],
    "properties": {"detail": {"type": "string", "description": "What was wrong."}},
}


def search_api(
    *,
    municipalities: list[str],
    lines: list[str],
    types: list[str],
    default_limit: int,
    max_limit: int,
    max_query: int,
) -> dict[str, Any]:
    result = {
        "type": "object",
        "additionalProperties": False,
        "required": ["type", "key", "title", "url", "snippet", "organisation", "municipalities"],
        "properties": {
            "type": {"type": "string", "enum": types},
            "key": {
                "type": "string",
                "description": "The entry's key or the thread's or story's number.",
            },
            "title": {"type": "string"},
            "url": {"type": "string", "description": "Absolute URL of the page."},
            "snippet": {
                "type": "string",
                "description": "HTML: escaped text with the matched words in <mark>.",
            },
            "organisation": {"type": "string"},
            "municipalities": {
                "type": "array",
                "items": {"type": "string"},
                "description": "Municipality codes; empty: the whole wellbeing area.",
            },
        },
    }
    results = {
        "type": "object",
        "additionalProperties": False,
        "required": ["query", "total", "corrected_query", "results"],
        "properties": {
            "query": {
                "type": "string",
                "description": f"The query as searched (trimmed, at most {max_query} characters).",
            },
            "total": {
                "type": "integer",
                "minimum": 0,
                "description": "How many documents matched in all.",
            },
            "corrected_query": {
                "type": "string",
                "description": "The query with typos corrected; empty when nothing was corrected.",
            },
            "results": {
                "type": "array",
                "maxItems": max_limit,
                "items": {"$ref": "#/components/schemas/Result"},
            },
        },
    }

    def error(description: str) -> dict[str, Any]:
        return {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }

    def enum_parameter(name: str, values: list[str], description: str) -> dict[str, Any]:
        # Empty is the same as leaving the filter out.
        return {
            "name": name,
            "in": "query",
            "required": False,
            "description": description + " Empty: no filter.",
            "schema": {"type": "string", "enum": ["", *values]},
        }

    unauthorized = error("No valid session or token.")
    unauthorized["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Neuvokas search API",
            "version": "1",
            "description": "The intranet's ranked Finnish search as JSON. Authenticate "
            "with the browser session or a personal token "
            "(`Authorization: Token <token>`, made with "
            "`manage.py create_api_token USERNAME`).",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"token": []}, {"session": []}],
        "paths": {
            "/search": {
                "get": {
                    "operationId": "search",
                    "summary": "Search services, offers, solved consultations and stories",
                    "parameters": [
                        {
                            "name": "q",
                            "in": "query",
                            "required": False,
                            "description": f"The query; cut to {max_query} characters. Empty: "
                            "no results.",
                            "schema": {"type": "string"},
                        },
                        enum_parameter("type", types, "Only documents of this type."),
                        enum_parameter(
                            "municipality",
                            municipalities,
                            "Only what is available in this municipality "
                            "(documents for the whole area included).",
                        ),
                        enum_parameter("line", lines, "Only documents of this service line."),
                        {
                            "name": "limit",
                            "in": "query",
                            "required": False,
                            "description": f"Results to return; brought within 1 to {max_limit}.",
                            "schema": {"type": "integer", "default": default_limit},
                        },
                    ],
                    "responses": {
                        "200": {
                            "description": "The best matches first.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/SearchResults"}
                                }
                            },
                        },
                        "400": error(
                            "An unknown type, municipality or line, a limit that is "
                            "no number, or a character no text can hold (NUL)."
                        ),
                        "401": unauthorized,
                    },
                },
            },
        },
        "components": {
            "securitySchemes": {
                "token": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "`Token <token>`",
                },
                "session": {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME},
            },
            "schemas": {"SearchResults": results, "Result": result, "Error": ERROR},
        },
    }
