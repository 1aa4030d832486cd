"""The invented material of the demo: names and places, job families, goals, messages."""

from __future__ import annotations

from dataclasses import dataclass

# One pool per place: "first:gender" names (gender as people self-describe it; none: unstated) |
# surnames, then indented homes: "timezone = location = languages besides English" ("+").
_POOLS_TEXT = """
Ngozi:woman, Tunde:man, Kemi:woman, Chidi:man, Ife | Okafor, Adeyemi, Nwosu, Balogun, Eze
    Africa/Lagos = Lagos, Nigeria = Yoruba
Kwame:man, Abena:woman, Kofi:man, Efua:woman | Mensah, Osei, Owusu, Asante, Boateng
    Africa/Accra = Accra, Ghana = Twi
Wanjiru:woman, Otieno:man, Amani, Njeri:woman | Kamau, Odhiambo, Mwangi, Njoroge
    Africa/Nairobi = Nairobi, Kenya = Swahili
Thandiwe:woman, Sipho:man, Lerato:woman, Themba:man | Dlamini, Nkosi, Mokoena, Ndlovu
    Africa/Johannesburg = Johannesburg, South Africa = Zulu
Priya:woman, Arjun:man, Ananya:woman, Rohan:man, Kavya | Raman, Iyer, Menon, Nair, Deshpande
    Asia/Kolkata = Bengaluru, India = Hindi+Kannada
    Asia/Kolkata = Pune, India = Hindi+Marathi
Farhan:man, Sana:woman, Bilal:man, Hira:woman | Qureshi, Siddiqui, Malik, Sheikh
    Asia/Karachi = Karachi, Pakistan = Urdu
Haruka:woman, Kenji:man, Yui:woman, Takumi:man | Tanaka, Nakamura, Watanabe, Sato
    Asia/Tokyo = Tokyo, Japan = Japanese
Seo-yeon:woman, Min-jun:man, Ji-woo, Hyun-woo:man | Park, Kim, Choi, Jung, Kang
    Asia/Seoul = Seoul, South Korea = Korean
Mei:woman, Wei:man, Xiu:woman, Jun:man | Chen, Lin, Zhou, Wang, Huang
    Asia/Singapore = Singapore = Mandarin
    Asia/Taipei = Taipei, Taiwan = Mandarin
Maria:woman, Paolo:man, Andrea, Joy:woman | Santos, Reyes, Dela Cruz, Bautista
    Asia/Manila = Manila, Philippines = Filipino
Camila:woman, Thiago:man, Isabela:woman, Rafael:man | Oliveira, Ribeiro, Costa, Almeida
    America/Sao_Paulo = São Paulo, Brazil = Portuguese
Valentina:woman, Diego:man, Lucía:woman, Joaquín:man | Ramírez, Gutiérrez, Morales, Herrera
    America/Mexico_City = Mexico City, Mexico = Spanish
    America/Bogota = Bogotá, Colombia = Spanish
    America/Argentina/Buenos_Aires = Buenos Aires, Argentina = Spanish
Jordan, Emily:woman, Marcus:man, Grace:woman, Tyler:man | Brooks, Sullivan, Whitaker, Hayes
    America/New_York = New York, USA =
    America/Chicago = Chicago, USA =
    America/Denver = Denver, USA =
    America/Los_Angeles = San Francisco, USA =
Élodie:woman, Mathieu:man, Camille, Julien:man | Tremblay, Gagnon, Bouchard, Lavoie
    America/Toronto = Montréal, Canada = French
Freja:woman, Lars:man, Ingrid:woman, Mikkel:man | Lindqvist, Andersen, Halvorsen, Berg
    Europe/Stockholm = Stockholm, Sweden = Swedish
    Europe/Copenhagen = Copenhagen, Denmark = Danish
Hannah:woman, Lukas:man, Lea:woman, Jonas:man | Müller, Schneider, Weber, Hoffmann
    Europe/Berlin = Berlin, Germany = German
Giulia:woman, Matteo:man, Pablo:man, Nuria:woman | Rossi, Bianchi, García, Navarro
    Europe/Rome = Milan, Italy = Italian
    Europe/Madrid = Madrid, Spain = Spanish
Charlotte:woman, Callum:man, Aisha:woman, Rhys:man | Hughes, Patel, Murphy, Clarke, Ahmed
    Europe/London = London, UK =
    Europe/London = Manchester, UK =
    Europe/Dublin = Dublin, Ireland = Irish
Katarzyna:woman, Piotr:man, Olena:woman, Andriy:man | Nowak, Wiśniewski, Shevchenko, Bondarenko
    Europe/Warsaw = Warsaw, Poland = Polish
    Europe/Kyiv = Kyiv, Ukraine = Ukrainian
Layla:woman, Omar:man, Noor, Karim:man | Haddad, Khalil, Nassar, Saleh, Farouk
    Asia/Dubai = Dubai, UAE = Arabic
    Africa/Cairo = Cairo, Egypt = Arabic
Aroha:woman, Tane:man, Ruby:woman, Liam:man | Ngata, Parata, Mitchell, Thompson
    Pacific/Auckland = Auckland, New Zealand = Māori
    Australia/Sydney = Sydney, Australia =
    Australia/Melbourne = Melbourne, Australia =
"""
Home = tuple[str, str, tuple[str, ...]]
Pool = tuple[tuple[tuple[str, str], ...], tuple[str, ...], tuple[Home, ...]]


def _parse_pools(text: str) -> tuple[Pool, ...]:
    pools: list[Pool] = []
    for line in filter(str.strip, text.splitlines()):
        if not line.startswith(" "):
            names, _, lasts = line.partition(" | ")
            firsts = tuple((n.partition(":")[0], n.partition(":")[2]) for n in names.split(", "))
            pools.append((firsts, tuple(lasts.split(", ")), ()))
        else:
            tz, location, languages = (part.strip() for part in line.split("="))
            home = (tz, location, tuple(filter(None, languages.split("+"))))
            firsts, surnames, homes = pools[-1]
            pools[-1] = (firsts, surnames, (*homes, home))
    return tuple(pools)


POOLS = _parse_pools(_POOLS_TEXT)

# Functional area | weight | "N years in ..." | expertise tags, then senior titles (mentors), then
# early-career titles (mentees).
_AREAS_TEXT = """
Engineering | 10 | software engineering | python, architecture, frontend, management, hiring
    Staff Engineer, Principal Engineer, Engineering Manager, Director of Engineering
    Software Engineer, Junior Developer, Site Reliability Engineer, QA Engineer
Product | 5 | product management | product strategy, ux research, data, leadership
    Group Product Manager, Senior Product Manager, Director of Product
    Associate Product Manager, Product Manager, Product Analyst
Design | 4 | product design | ux research, frontend, product strategy, writing
    Design Director, Principal Product Designer, Senior UX Researcher
    Product Designer, Junior UX Designer, UX Researcher
Data | 5 | data and analytics | data, python, machine learning, writing
    Head of Data Science, Senior Data Scientist, Analytics Manager
    Data Analyst, Junior Data Scientist, Analytics Engineer
Marketing | 3 | marketing | marketing, writing, public speaking, data
    VP Marketing, Senior Brand Manager, Head of Content
    Marketing Coordinator, Content Marketer, Growth Marketing Associate
Sales | 3 | B2B sales | sales, negotiation, public speaking
    Regional Sales Director, Senior Account Executive, Sales Manager
    Sales Development Representative, Account Executive
Customer Success | 2 | customer success | negotiation, public speaking, management
    Head of Customer Success, Senior Customer Success Manager
    Customer Success Associate, Support Specialist
Finance | 2 | finance | finance, negotiation, entrepreneurship, data
    Finance Director, Senior FP&A Manager, Controller
    Financial Analyst, Accountant
People | 2 | people teams | hiring, diversity & inclusion, management, work-life balance
    Head of People, Senior HR Business Partner, Talent Acquisition Lead
    People Partner, Recruiter, HR Coordinator
Operations | 2 | operations | management, data, entrepreneurship
    Director of Operations, Senior Program Manager
    Operations Analyst, Program Coordinator
Legal | 1 | tech law | negotiation, writing
    General Counsel, Senior Legal Counsel
    Legal Counsel, Compliance Analyst
Leadership | 3 | leading teams | leadership, management, entrepreneurship, public speaking
    VP Engineering, Chief Technology Officer, VP Customer Experience
    Team Lead, New Manager
"""


@dataclass(frozen=True, slots=True)
class Area:
    """A functional area: how common it is, how people describe it, its tags and titles."""

    name: str
    weight: int
    phrase: str
    tags: tuple[str, ...]
    senior: tuple[str, ...]
    junior: tuple[str, ...]


def _parse_areas(text: str) -> tuple[Area, ...]:
    lines = [line.strip() for line in text.strip().splitlines()]
    areas = []
    for head, senior, junior in zip(lines[::3], lines[1::3], lines[2::3], strict=True):
        name, weight, phrase, tags = (part.strip() for part in head.split("|"))
        areas.append(
            Area(
                name,
                int(weight),
                phrase,
                tuple(tags.split(", ")),
                tuple(senior.split(", ")),
                tuple(junior.split(", ")),
            )
        )
    return tuple(areas)


AREAS = _parse_areas(_AREAS_TEXT)
GENERAL_TAGS = ("career growth", "leadership", "public speaking", "work-life balance")

GOALS = {
    "python": "get comfortable leading Python code reviews",
    "architecture": "design a service end to end instead of only picking up tickets",
    "frontend": "get much better at accessible frontend work",
    "machine learning": "move from analytics into applied machine learning",
    "career growth": "work out whether the staff track or management suits me",
    "leadership": "lead my first cross-team project",
    "management": "prepare for my first people-manager role",
    "public speaking": "give a talk at our all-hands without dreading it",
    "negotiation": "negotiate scope with stakeholders more confidently",
    "data": "build dashboards people actually use",
    "product strategy": "build, and defend, a product roadmap",
    "ux research": "run my first round of user interviews",
    "writing": "write clearer design docs and proposals",
    "work-life balance": "stop working every evening and still do good work",
    "entrepreneurship": "understand what it takes to start something of my own",
    "sales": "close my first enterprise deal",
    "marketing": "plan a campaign from brief to results",
    "finance": "read a P&L and speak finance with leadership",
    "hiring": "run structured interviews well",
    "diversity & inclusion": "start an employee resource group at my office",
}
PERSONAL = (
    "Outside work I run a small photography club.",
    "I coach a youth football team at weekends.",
    "Ask me about moving countries mid-career.",
    "I was mentored early on and want to pay it forward.",
    "Former teacher: I care about clear explanations.",
    "I switched careers at 32, so no question is too basic.",
    "I prefer short, regular calls to long ones.",
    "",
)

# What mentees write to mentors, and what mentors and admins answer.
MESSAGES = (
    "Hi {mentor}! I'm {a_title} and I'd like to {goal}. Your experience with {tag} stood out "
    "to me: would you be open to a call every couple of weeks?",
    "Hello {mentor}, I read your profile and I think you'd be a great mentor for me. My goal "
    "this year is to {goal}. Could we try a first 30-minute chat?",
    "Hi {mentor}, I'm hoping to {goal}, and I'd really value your perspective on {tag}. "
    "I'm flexible on times.",
)
DECLINE_NOTES = {
    "I don't have time right now": (
        "We're mid-launch until the end of the quarter. Please ask me again after that!",
        "I'm about to go on parental leave, sorry!",
        "",
    ),
    "My expertise isn't the right fit": (
        "I've never worked in your area, so I'd be guessing. Someone closer to it would help "
        "you more.",
        "",
    ),
    "I'm at my mentoring limit": (
        "I'm at my limit for this cycle; happy to have an informal coffee chat though.",
    ),
    "Other": ("We're on the same team, so an outside perspective would serve you better.",),
}
FINISH_NOTES = (
    "We met every two weeks for four months and I reached my goal. Thank you!",
    "Great run: we'll keep in touch informally.",
    "",
)
ABANDON_REASONS = (
    "We couldn't find a time that works across our time zones.",
    "I changed roles and no longer have the time, sorry.",
    "We met twice and agreed the fit wasn't right.",
)
CLOSE_REASONS = (
    "Closing: you joined the spring cohort and were matched there.",
    "Closing at your request: you asked us to clear your pending requests.",
)
