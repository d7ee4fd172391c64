"""The demo content ``manage.py seed_demo_content`` writes: colleagues, colleague
questions, success stories, topics of the contact log and searches.

Everything here is invented for the demo. No text holds personal data: customers are
"asiakas", and the only phone number is the callback's own field, an obviously fake
``040 000 0000``. Times are offsets from the moment the command runs (``ago``) or
days before the first of the current month (``before_this_month``), so the demo
always looks fresh and last month's reports always have figures.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

# Submission keys and story tokens are derived from this, so a rerun finds what the
# first run made (the services' own duplicate guards) instead of adding more.
NAMESPACE = uuid.UUID("6f1c2d1e-8a3b-4f7e-9c55-2e0b7d4a9e10")

NEUVOJA, SISALTO, ESIHENKILO = "neuvoja", "sisalto", "esihenkilo"
DEMO_LOGINS = (NEUVOJA, SISALTO, ESIHENKILO)
# The lines the demo advisor serves, set only when the login has none yet.
NEUVOJA_LINES = ("tyoikaiset", "ikaihmiset")


def key(*parts: object) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts))


# --- Colleagues -----------------------------------------------------------------------


@dataclass(frozen=True)
class Colleague:
    username: str
    first_name: str
    last_name: str
    lines: tuple[str, ...]


# Advisors whose names appear in threads and stories. They cannot log in (unusable
# password); only the four demo logins can.
COLLEAGUES = (
    Colleague("aino.lahti", "Aino", "Lahti", ("tyoikaiset",)),
    Colleague("mikko.salo", "Mikko", "Salo", ("ikaihmiset", "vammaispalvelut")),
    Colleague("leena.aalto", "Leena", "Aalto", ("vammaispalvelut", "ikaihmiset")),
    Colleague("juha.koski", "Juha", "Koski", ("lapset-perheet", "viranomaiset")),
)
ADVISORS = (NEUVOJA, *(c.username for c in COLLEAGUES))


# --- When things happened -------------------------------------------------------------


@dataclass(frozen=True)
class When:
    """``ago`` before now; or at ``time`` (office hours) ``days_ago`` days before today,
    or ``days_before_month`` days before the first of this month (1–28: always inside
    last month's reports)."""

    ago: datetime.timedelta | None = None
    days_ago: int | None = None
    days_before_month: int | None = None
    time: datetime.time = datetime.time(10, 0)


def ago(**delta: float) -> When:
    return When(ago=datetime.timedelta(**delta))


def days_ago(days: int, hour: int = 10, minute: int = 0) -> When:
    return When(days_ago=days, time=datetime.time(hour, minute))


def before_this_month(days: int, hour: int = 10, minute: int = 0) -> When:
    return When(days_before_month=days, time=datetime.time(hour, minute))


# --- Colleague questions --------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    author: str
    body: str
    after: datetime.timedelta
    comment: bool = False


@dataclass(frozen=True)
class Question:
    """A thread and what happens to it. ``title`` is its natural key: a rerun skips a
    question whose title is already on the board."""

    title: str
    body: str
    author: str
    line: str
    municipality: str | None
    urgency: str
    at: When
    entries: tuple[str, ...] = ()
    replies: tuple[Reply, ...] = ()
    claimed_by: str | None = None
    claimed_after: datetime.timedelta = datetime.timedelta(minutes=15)
    # The index of the reply marked as the solution, by the asker, after this long.
    solution: int | None = None
    solved_after: datetime.timedelta = datetime.timedelta(hours=2)
    # A "Usein kysyttyä" item the content editor makes of the solution.
    faq_entry: str | None = None
    faq_question: str = ""
    faq_answer: str = ""


_M = datetime.timedelta(minutes=1)
_H = datetime.timedelta(hours=1)

QUESTIONS = (
    Question(
        title="Omaishoidon tuki: katkeaako hoitopalkkio, jos hoidettava on viikon osastolla?",
        body=(
            "Omaishoitaja on linjalla. Hoidettava pääsi osastohoitoon keskiviikkona, ja "
            "kotiutus on arviolta ensi viikolla. Hoitaja kysyy, maksetaanko tämän kuun "
            "hoitopalkkio normaalisti vai keskeytyykö se.\n\n"
            "Muistelen, ettei lyhyt laitosjakso keskeytä palkkiota, mutta en löydä rajaa "
            "palvelukuvauksesta. Tietääkö joku varmasti?"
        ),
        author="mikko.salo",
        line="ikaihmiset",
        municipality="286",
        urgency="waiting",
        at=ago(minutes=3),
        entries=("omaishoidon-tuki",),
    ),
    Question(
        title="Vammaispalvelulain kuljetuspalvelu: saako matkat tehdä naapurikuntaan?",
        body=(
            "Asiakkaalla on myönteinen päätös kuljetuspalvelusta Haminassa. Hän asioi "
            "säännöllisesti Kotkassa ja kysyy, voiko matkat tehdä sinne vai rajoittuvatko "
            "ne oman kunnan alueelle ja lähikuntiin. Lupasin selvittää asian tänään."
        ),
        author="aino.lahti",
        line="vammaispalvelut",
        municipality="075",
        urgency="today",
        at=ago(hours=2),
        entries=("kuljetuspalvelu-vammaispalvelulaki",),
        claimed_by="leena.aalto",
    ),
    Question(
        title="Vuokrarästit ja häätöuhka: ehkäisevä toimeentulotuki vai sosiaalinen luototus?",
        body=(
            "Asiakkaalla on kahden kuukauden vuokrat maksamatta, ja vuokranantaja on "
            "lähettänyt maksukehotuksen. Tulot ovat nyt säännölliset, mutta puskuria ei "
            "ole. Kumpaan ohjaan ensin: ehkäisevään toimeentulotukeen vai sosiaaliseen "
            "luototukseen? Kannattaako asumisneuvojalle soittaa jo nyt?"
        ),
        author="neuvoja",
        line="tyoikaiset",
        municipality="285",
        urgency="none",
        at=days_ago(1, 9, 20),
        entries=("ehkaiseva-toimeentulotuki", "sosiaalinen-luototus", "asumisneuvonta-kotka"),
        replies=(
            Reply(
                "aino.lahti",
                after=35 * _M,
                body=(
                    "Ehkäisevää toimeentulotukea kannattaa hakea ensin: vuokrarästin "
                    "hoitaminen asumisen turvaamiseksi on juuri sen tavallinen käyttötarkoitus. "
                    "Sosiaalinen luototus sopii paremmin, kun tarve on suurempi ja asiakas "
                    "pystyy lyhentämään lainaa.\n\n"
                    "Asumisneuvojalle kannattaa soittaa heti. Hän voi sopia vuokranantajan "
                    "kanssa maksusuunnitelmasta, ja sopimus tukee myös hakemusta."
                ),
            ),
            Reply(
                "mikko.salo",
                after=80 * _M,
                comment=True,
                body=(
                    "Hyvä vastaus. @sisalto, Kotkan asumisneuvonnan kuvauksesta puuttuu tieto, "
                    "että asumisneuvoja voi olla mukana neuvottelussa vuokranantajan kanssa. "
                    "Voisitko lisätä sen?"
                ),
            ),
            Reply(
                "neuvoja",
                after=2 * _H,
                comment=True,
                body=(
                    "Kiitos! Ohjasin asiakkaan asumisneuvojalle ja neuvoin hakemaan ehkäisevää "
                    "toimeentulotukea. Merkitsen ratkaisun, kun päätös on tullut."
                ),
            ),
        ),
    ),
    Question(
        title="Lastenvalvoja: kumman kunnan lastenvalvoja, kun vanhemmat asuvat eri kunnissa?",
        body=(
            "Vanhemmat ovat eronneet. Lapsi asuu toisen vanhemman kanssa Kouvolassa, ja "
            "toinen vanhempi muutti Kotkaan. Kumman kunnan lastenvalvoja vahvistaa "
            "elatussopimuksen, ja voiko tapaamisen hoitaa etäyhteydellä?"
        ),
        author="juha.koski",
        line="lapset-perheet",
        municipality="286",
        urgency="none",
        at=before_this_month(12, 9, 40),
        entries=("lastenvalvoja",),
        replies=(
            Reply(
                "aino.lahti",
                after=50 * _M,
                body=(
                    "Sopimuksen vahvistaa lapsen asuinpaikan lastenvalvoja, tässä siis "
                    "Kouvolan. Kymenlaaksossa lastenvalvojat ovat hyvinvointialueen yhteistä "
                    "palvelua, joten ajanvaraus on sama kunnasta riippumatta.\n\n"
                    "Etätapaaminen onnistuu, kun molemmat vanhemmat tunnistautuvat vahvasti. "
                    "Sopimus allekirjoitetaan sähköisesti tai käynnillä."
                ),
            ),
        ),
        solution=0,
        solved_after=3 * _H,
        faq_entry="lastenvalvoja",
        faq_question="Kumman kunnan lastenvalvoja vahvistaa sopimuksen, kun vanhemmat "
        "asuvat eri kunnissa?",
        faq_answer=(
            "Lapsen asuinpaikan lastenvalvoja. Kymenlaaksossa lastenvalvojat ovat "
            "hyvinvointialueen yhteistä palvelua, joten ajan voi varata samasta "
            "ajanvarauksesta kunnasta riippumatta. Tapaamisen voi hoitaa etäyhteydellä, "
            "kun molemmat vanhemmat tunnistautuvat vahvasti."
        ),
    ),
    Question(
        title="Turvapuhelimen asennus ennen joulua: kuinka nopeasti se onnistuu?",
        body=(
            "Kotiutuva asiakas tarvitsee turvapuhelimen, ja omainen kysyy, ehditäänkö "
            "laite asentaa ennen joulua. Onko asennukseen jonoa, ja kuka tekee "
            "hakemuksen, kun kotihoito ei vielä käy asiakkaan luona?"
        ),
        author="mikko.salo",
        line="ikaihmiset",
        municipality="624",
        urgency="none",
        at=days_ago(6, 13, 5),
        entries=("turvapuhelin",),
        replies=(
            Reply(
                "neuvoja",
                after=30 * _M,
                body=(
                    "Hakemuksen voi tehdä asiakas itse, omainen tai osaston kotiutuksesta "
                    "vastaava hoitaja. Asennus on viime viikkoina järjestynyt noin viikossa "
                    "hakemuksesta.\n\n"
                    "Kotiutuspäivä kannattaa kirjoittaa hakemukseen, niin asennus ajoitetaan "
                    "sen mukaan."
                ),
            ),
        ),
        solution=0,
        solved_after=2 * _H,
    ),
    Question(
        title="Koulukuraattori kysyy: riittääkö yhteydenotto vai tehdäänkö lastensuojeluilmoitus?",
        body=(
            "Kuraattori on huolissaan yläkoululaisesta, jolla on paljon poissaoloja. "
            "Kotiin on saatu yhteys, ja vanhemmat ottavat tukea vastaan. Riittääkö "
            "sosiaalihuoltolain mukainen yhteydenotto, vai pitääkö tehdä "
            "lastensuojeluilmoitus? Kuraattori toivoo vastausta tänään."
        ),
        author="juha.koski",
        line="viranomaiset",
        municipality="285",
        urgency="today",
        at=ago(minutes=50),
        entries=("yhteydenotto-sosiaalihuoltoon", "lastensuojeluilmoitus"),
        replies=(
            Reply(
                "aino.lahti",
                after=10 * _M,
                comment=True,
                body=(
                    "@neuvoja, selvitit viime viikolla samantapaista kysymystä. Muistatko, "
                    "mihin silloin päädyttiin?"
                ),
            ),
        ),
    ),
)


@dataclass(frozen=True)
class CallbackRequest:
    requester: str
    assignee: str
    line: str
    reason: str
    phone: str


# Assigned to the demo advisor, due later today; a new one only when the advisor has
# no open callback.
CALLBACK = CallbackRequest(
    requester="aino.lahti",
    assignee=NEUVOJA,
    line="tyoikaiset",
    reason=(
        "Asiakas kysyi, miten Kelan perustoimeentulotuen päätökseen haetaan oikaisua. "
        "Lupasin, että linjan neuvoja soittaa iltapäivällä ja käy oikaisupyynnön läpi "
        "yhdessä asiakkaan kanssa."
    ),
    phone="040 000 0000",  # obviously fake; the only number in the demo
)


# --- Success stories ------------------------------------------------------------------


@dataclass(frozen=True)
class StoryDemo:
    """A story and how far it got: ``draft``, ``submitted`` or ``published``. Its
    author and ``slug`` make the form token, the story's natural key."""

    slug: str
    author: str
    state: str
    title: str
    lead: str
    body: str
    unit: str
    themes: tuple[str, ...]
    at: When
    waiting_days_before: int | None = None
    waiting_days_after: int | None = None
    partners_count: int | None = None
    savings_eur: int | None = None
    thanked_by: tuple[str, ...] = ()
    comments: tuple[tuple[str, str], ...] = field(default=())  # (author, body)


STORIES = (
    StoryDemo(
        slug="soittopyynnot",
        author=NEUVOJA,
        state="published",
        title="Soittopyynnöt hoituvat nyt samana päivänä",
        lead="Kun soittopyynnöt alettiin kirjata linjalle määräajan kanssa, asiakkaat "
        "saivat takaisinsoiton yleensä jo samana päivänä.",
        body=(
            "Syksyllä soittopyyntöjä kertyi iltapäivisin niin paljon, että osa siirtyi "
            "seuraavalle päivälle ja osa unohtui kokonaan. Kokeilimme kuukauden ajan "
            "mallia, jossa jokainen soittopyyntö kirjataan linjalle ja sille asetetaan "
            "määräaika.\n\n"
            "**Mitä muutimme**\n\n"
            "- Soittopyyntö kirjataan heti puhelun aikana, ei vasta päivän lopuksi.\n"
            "- Vuorossa oleva neuvoja ottaa pyynnön hoitoonsa, ja muut näkevät sen.\n"
            "- Myöhästyvästä pyynnöstä tulee ilmoitus.\n\n"
            "Odotus takaisinsoittoon lyheni kolmesta päivästä yhteen. Asiakkaat ovat "
            "kiittäneet erityisesti siitä, että soitto tulee luvattuna aikana."
        ),
        unit="Työikäisten palveluneuvonta",
        themes=("jonot-lyhenivat", "asiakaskokemus"),
        at=before_this_month(20, 13, 30),
        waiting_days_before=3,
        waiting_days_after=1,
        thanked_by=("aino.lahti", "mikko.salo", ESIHENKILO),
        comments=(("aino.lahti", "Tämä on helpottanut meidänkin iltapäiviä. Kiitos mallista!"),),
    ),
    StoryDemo(
        slug="kylaapu",
        author="mikko.salo",
        state="published",
        title="Kyläyhdistykset ja kotihoito löysivät toisensa Miehikkälässä",
        lead="Kauppakyydit ja kotiapu saatiin kotihoidon asiakkaiden tietoon, ja yksin "
        "asuvat ikäihmiset tavoitettiin ennen talvea.",
        body=(
            "Miehikkälän kyläyhdistyksillä oli vapaaehtoisia kauppakyyteihin, mutta tieto "
            "ei kulkenut kotihoitoon asti. Palveluneuvonta kokosi samaan pöytään "
            "kotihoidon, kyläyhdistykset, seurakunnan diakoniatyön ja kunnan "
            "vapaa-aikatoimen.\n\n"
            "Nyt kotihoidon hoitaja kertoo asiakkaalle kauppakyydistä ja antaa "
            "kyläyhdistyksen yhteystiedot, ja asiakas sopii kyydistä itse tai omaisensa "
            "kanssa. Syksyn aikana kyydeissä aloitti yli kaksikymmentä uutta kulkijaa."
        ),
        unit="Ikäihmisten palveluneuvonta",
        themes=("monitoimijainen-yhteistyo", "asiakkaat-tavoitettiin"),
        at=before_this_month(8, 9, 15),
        partners_count=4,
        thanked_by=(NEUVOJA, "leena.aalto"),
    ),
    StoryDemo(
        slug="tarkistuslista",
        author="leena.aalto",
        state="published",
        title="Yhteinen tarkistuslista vähensi turhia siirtoja",
        lead="Puhelun alussa käytävä lyhyt tarkistuslista ohjaa asiakkaan heti oikealle "
        "työntekijälle.",
        body=(
            "Vammaispalvelujen linjalle soitetaan usein asioista, jotka kuuluvat Kelalle "
            "tai kotihoidolle. Pahimmillaan puhelu siirtyi kolme kertaa. Kokosimme "
            "viiden kysymyksen tarkistuslistan, jonka neuvoja käy läpi ennen siirtoa.\n\n"
            "Siirrot vähenivät noin kolmanneksella, ja säästyneen työajan arvo on "
            "vuositasolla noin 15 000 euroa. Tärkeintä on silti se, että asiakas kertoo "
            "asiansa vain kerran."
        ),
        unit="Vammaispalvelujen neuvonta",
        themes=("asiakaskokemus", "saastot"),
        at=days_ago(3, 10, 30),
        savings_eur=15_000,
        thanked_by=("juha.koski",),
        comments=((NEUVOJA, "Voisiko tarkistuslistan jakaa myös muille linjoille?"),),
    ),
    StoryDemo(
        slug="perhekahvila",
        author="juha.koski",
        state="published",
        title="Perhekahvilassa tavoitettiin isiä",
        lead="Lauantaiaamun perhekahvila toi neuvonnan luo perheitä, jotka eivät olleet "
        "aiemmin käyttäneet palveluja.",
        body=(
            "Lasten ja perheiden neuvonta kävi kolmena lauantaina järjestön "
            "perhekahvilassa Kotkassa, mukana myös perhetyön työntekijä. Moni isä kertoi "
            "kuulleensa lapsiperheiden kotipalvelusta ensimmäistä kertaa.\n\n"
            "Kahvilan jälkeen neuvontaan tuli useita yhteydenottoja, joissa mainittiin "
            "tapaaminen. Jatkamme kokeilua keväällä myös Haminassa ja Kouvolassa."
        ),
        unit="Lasten ja perheiden neuvonta",
        themes=("asiakkaat-tavoitettiin",),
        at=before_this_month(40, 11, 0),
        partners_count=2,
    ),
    StoryDemo(
        slug="usein-kysytyt",
        author="aino.lahti",
        state="submitted",
        title="Usein kysytyt kokosivat linjan hiljaisen tiedon",
        lead="Ratkaistut kollegakysymykset muuttuivat palvelukuvausten usein kysytyiksi, "
        "ja samat kysymykset vähenivät.",
        body=(
            "Kysy kollegalta -palstalla ratkaistiin syksyn aikana kymmeniä kysymyksiä. "
            "Kävimme ne sisällöntuottajan kanssa läpi kerran viikossa ja lisäsimme "
            "parhaat vastaukset palvelukuvauksiin.\n\n"
            "Nyt neuvoja löytää vastauksen palvelun sivulta kesken puhelun, eikä samaa "
            "kysymystä tarvitse kysyä uudelleen."
        ),
        unit="Työikäisten palveluneuvonta",
        themes=("asiakaskokemus",),
        at=days_ago(1, 14, 10),
        partners_count=1,
    ),
    StoryDemo(
        slug="tulkkaus-luonnos",
        author=NEUVOJA,
        state="draft",
        title="Tulkkauspalvelun hakemus tehtiin yhdessä puhelun aikana",
        lead="Asiakas sai tulkkauspalvelun hakemuksen vireille yhden puhelun aikana.",
        body=(
            "Asiakas soitti epävarmana siitä, kenelle tulkkauspalvelun hakemus tehdään. "
            "Kävimme Kelan hakemuksen läpi yhdessä puhelun aikana.\n\n"
            "(Täydennä vielä: mitä tästä opittiin, ja pitäisikö ohje lisätä "
            "palvelukuvaukseen?)"
        ),
        unit="",
        themes=("asiakaskokemus",),
        at=ago(hours=2),
    ),
)


# --- Contact log ----------------------------------------------------------------------

# Municipality codes weighted roughly by population; None = not known.
MUNICIPALITY_WEIGHTS = (
    ("286", 30),
    ("285", 28),
    ("075", 12),
    ("624", 4),
    ("935", 3),
    ("489", 2),
    (None, 10),
)
CHANNEL_WEIGHTS = (("phone", 65), ("chat", 20), ("visit", 10), ("authority", 5))
AUTHORITY_LINE_CHANNELS = (("authority", 70), ("phone", 30))
REFERRAL_WEIGHTS = (("", 68), ("area_service", 14), ("kela", 8), ("third_sector", 8), ("other", 2))
# Topics advisors write themselves when no catalogue entry fits.
FREE_TOPICS = (
    "Sähkölaskun maksuvaikeus",
    "Kelan päätöksen oikaisu",
    "Vuokra-asunnon haku",
    "Edunvalvontavaltuutus",
    "Lääkekulujen maksusitoumus",
    "Riita vuokranantajan kanssa",
    "Apuvälineen palautus",
    "Digituki verkkoasiointiin",
    "Yksinäisyys",
    "Työttömyysturvan odotusaika",
    "Perhevapaiden hakeminen",
    "Eläkkeen hakeminen",
)
HISTORY_DAYS = 91  # about three months back; weekdays only
CONTACTS_PER_DAY = (3, 7)  # the day's total over all advisors, inclusive
TODAY_CONTACTS = 5  # the demo advisor's own so far today


# --- Searches (for the search-gaps report) --------------------------------------------

# (query, results shown, the entry opened from them or None, times last month). Every
# other search that found something also opens that entry; the rest open nothing.
SEARCHES = (
    ("omaishoidon tuki", 4, "omaishoidon-tuki", 5),
    ("toimeentulotuki", 6, "perustoimeentulotuki-kela", 6),
    ("kuljetuspalvelu", 3, "kuljetuspalvelu-sosiaalihuoltolaki", 4),
    ("ruoka-apu", 5, None, 3),
    ("velkaneuvonta", 3, "talous-ja-velkaneuvonta", 3),
    ("turvaranneke", 1, "turvapuhelin", 2),
    ("muistihoitaja", 2, None, 2),
    ("hammaslääkäri", 0, None, 3),
    ("saattohoito", 0, None, 2),
    ("perunkirjoitus", 0, None, 2),
    ("eläinlääkäri", 0, None, 1),
)
