"""The home page and the pages of the main menu, in menu order.

Rich text may link to another demo page with `<a page="slug">`; the loader turns it into a Wagtail
page link. Quick links name a page by its slug (`page`) or give an address (`url`).
"""

from __future__ import annotations

from .utility import EMERGENCY_PHONE, UTILITY

HOME = {
    "slug": "domov",
    "title": "Vodárna Pramenov",
    "seo_title": "Vodárna Pramenov – pitná voda pro Pramenovsko",
    "search_description": (
        "Vodárna Pramenov dodává pitnou vodu a čistí odpadní vodu pro dvanáct obcí Pramenovska. "
        "Stav vodoměru, faktury a platby vyřídíte v zákaznickém portálu."
    ),
    "intro": "",
    "hero_title": "Voda, na kterou se můžete spolehnout",
    "hero_text": (
        "Dodáváme pitnou vodu a čistíme odpadní vodu pro dvanáct obcí Pramenovska. "
        "Stav vodoměru, faktury i platby teď vyřídíte z domova v zákaznickém portálu."
    ),
    "quick_links": [
        {
            "label": "Nahlásit stav vodoměru",
            "description": "Samoodečet zadáte za minutu, bez čekání na odečítače.",
            "url": "/portal/",
        },
        {
            "label": "Zaplatit fakturu",
            "description": "Faktury, zálohy a QR platba pohromadě v zákaznickém portálu.",
            "url": "/portal/",
        },
        {
            "label": "Časté dotazy",
            "description": "Odečty, zálohy, platby, srážkové vody a přihlášení do portálu.",
            "page": "caste-dotazy",
        },
        {
            "label": "Ceník vodného a stočného",
            "description": "Ceny pro rok 2026 a nové ceny od 1. ledna 2027.",
            "page": "cenik",
        },
        {
            "label": "Odstávky a novinky",
            "description": "Plánované opravy sítě, výměny vodoměrů a další aktuality.",
            "page": "aktuality",
        },
        {
            "label": "Napište nám",
            "description": "Dotaz, reklamace nebo podnět. Odpovíme do dvou pracovních dnů.",
            "page": "napiste-nam",
        },
    ],
    "body": [
        ("heading", {"text": "Zákaznický portál", "level": "h2"}),
        (
            "paragraph",
            "<p>V portálu vidíte svá odběrná místa, historii odečtů a spotřeby, faktury, zálohy "
            "a přijaté platby. Můžete nahlásit stav vodoměru, stáhnout si doklady a požádat "
            "o změnu korespondenční adresy. K prvnímu přihlášení potřebujete číslo odběratele "
            "a aktivační kód, který najdete na faktuře.</p>",
        ),
        (
            "callout",
            {
                "kind": "warning",
                "title": "Porucha na vodovodu nebo kanalizaci?",
                "text": f"<p>Volejte nonstop poruchovou linku <b>{EMERGENCY_PHONE}</b>. "
                "Únik vody na ulici hlaste hned, i když si nejste jistí, odkud voda teče.</p>",
            },
        ),
    ],
}

NEWS_INDEX = {
    "model": "NewsIndexPage",
    "slug": "aktuality",
    "title": "Aktuality",
    "intro": (
        "Plánované odstávky, ceny, výsledky rozborů vody a novinky v zákaznickém portálu. "
        "Nové zprávy můžete sledovat i přes RSS."
    ),
}

PRICE_LIST = {
    "model": "StandardPage",
    "slug": "cenik",
    "title": "Ceník vodného a stočného",
    "intro": (
        "Vodné platíte za dodanou pitnou vodu, stočné za odvedení a vyčištění odpadní vody. "
        "Obě ceny se počítají za každý krychlový metr podle stavu vodoměru."
    ),
    "body": [
        ("heading", {"text": "Ceny v roce 2026", "level": "h2"}),
        (
            "table",
            {
                "data": [
                    ["Položka", "Cena bez DPH (Kč/m³)", "Cena s DPH 12 % (Kč/m³)"],
                    ["Vodné", "52,80", "59,14"],
                    ["Stočné", "46,20", "51,74"],
                    ["Celkem", "99,00", "110,88"],
                ],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_header_choice": "row",
                "table_caption": "Vodné a stočné od 1. ledna do 31. prosince 2026",
            },
        ),
        ("heading", {"text": "Ceny od 1. ledna 2027", "level": "h2"}),
        (
            "table",
            {
                "data": [
                    ["Položka", "Cena bez DPH (Kč/m³)", "Cena s DPH 12 % (Kč/m³)"],
                    ["Vodné", "55,40", "62,05"],
                    ["Stočné", "48,10", "53,87"],
                    ["Celkem", "103,50", "115,92"],
                ],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_header_choice": "row",
                "table_caption": "Vodné a stočné od 1. ledna 2027",
            },
        ),
        (
            "callout",
            {
                "kind": "info",
                "title": "Co nová cena znamená pro domácnost",
                "text": "<p>Tříčlenná domácnost, která spotřebuje 90 m³ vody za rok, zaplatí "
                "v roce 2027 za vodné a stočné 10 432,80 Kč s DPH, tedy o 453,60 Kč více než "
                "letos. Proč ceny rostou, vysvětlujeme v "
                '<a page="novy-cenik-vodneho-a-stocneho-pro-rok-2027">aktualitě o ceníku</a>.</p>',
            },
        ),
        ("heading", {"text": "Srážkové vody", "level": "h2"}),
        (
            "paragraph",
            "<p>Za srážkovou vodu, která ze střech a zpevněných ploch odtéká do kanalizace, se "
            "platí stočné. Množství se počítá z výměry ploch, odtokového součinitele podle druhu "
            "povrchu a dlouhodobého srážkového normálu. Pro Pramenov platí normál 0,686 m za rok. "
            "Domácnosti srážkové vody neplatí.</p>",
        ),
        (
            "table",
            {
                "data": [
                    ["Kategorie", "Druh plochy", "Odtokový součinitel"],
                    ["A", "Zastavěné a zpevněné plochy (střechy, asfalt, beton)", "0,9"],
                    ["B", "Zelené střechy s vrstvou substrátu 5–10 cm", "0,6"],
                    ["C", "Propustné zpevněné plochy (zatravňovací dlažba, štěrk)", "0,4"],
                    ["D", "Zelené střechy s vrstvou substrátu 11–30 cm", "0,3"],
                    ["E", "Zelené střechy s vrstvou substrátu 31 cm a více", "0,1"],
                    ["F", "Plochy s vegetací (trávníky, zahrady)", "0,05"],
                ],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_header_choice": "row",
                "table_caption": "Kategorie ploch podle přílohy 16 vyhlášky č. 428/2001 Sb.",
            },
        ),
        (
            "accordion",
            {
                "items": [
                    {
                        "title": "Jak se vodné a stočné na faktuře počítá?",
                        "body": "<p>Spotřebu zjistíme jako rozdíl dvou odečtů téhož vodoměru. "
                        "Vodné je spotřeba krát cena vodného, stočné spotřeba krát cena stočného; "
                        "k oběma připočteme DPH 12 %. Zaplacené zálohy od částky odečteme.</p>",
                    },
                    {
                        "title": "Jak se rozdělí spotřeba, když se cena v průběhu období změní?",
                        "body": "<p>Nemáme-li odečet přesně k 1. lednu, rozdělíme spotřebu "
                        "poměrně podle počtu dní v každém roce. Chcete-li přesnější rozdělení, "
                        "nahlaste stav vodoměru samoodečtem v portálu mezi 28. prosincem "
                        "a 10. lednem.</p>",
                    },
                    {
                        "title": "Kdo ceny schvaluje?",
                        "body": "<p>Cenu vodného a stočného schvaluje představenstvo společnosti "
                        "po projednání s obcemi, které jsou jejími akcionáři. Vodné a stočné "
                        "patří mezi ceny, které podléhají cenové regulaci; jejich kalkulaci "
                        "každý rok zveřejňujeme.</p>",
                    },
                ]
            },
        ),
    ],
}

FAQ_PAGE = {
    "model": "FAQPage",
    "slug": "caste-dotazy",
    "title": "Časté dotazy",
    "intro": (
        "Odpovědi na otázky, které nám odběratelé kladou nejčastěji. Hledejte podle tématu "
        "nebo zadejte slovo do vyhledávání."
    ),
    # "topics" are filled in from faq.py by the loader.
}

ABOUT = {
    "model": "StandardPage",
    "slug": "o-nas",
    "title": "O nás",
    "intro": (
        "Vodárna Pramenov, a.s. zásobuje pitnou vodou a odkanalizuje dvanáct obcí Pramenovska. "
        "Patří obcím, kterým slouží."
    ),
    "body": [
        ("heading", {"text": "Kdo jsme", "level": "h2"}),
        (
            "paragraph",
            "<p>Staráme se o 186 km vodovodních řadů, dvě úpravny vody, šest vodojemů a čtyři "
            "čistírny odpadních vod. Pitnou vodu dodáváme zhruba 23 000 obyvatel a do 7 400 "
            "odběrných míst, od rodinných domů po školy, nemocnici a průmyslovou zónu.</p>"
            "<p>Akcionáři společnosti jsou obce Pramenovska. Zisk zůstává ve vodárně a vrací se "
            "do obnovy potrubí a čistíren.</p>",
        ),
        ("heading", {"text": "Kontakty", "level": "h2"}),
        (
            "table",
            {
                "data": [
                    ["Oddělení", "Telefon", "E-mail"],
                    ["Zákaznické centrum", UTILITY["phone"], UTILITY["email"]],
                    ["Poruchová linka (nonstop)", EMERGENCY_PHONE, "dispecink@pramenov.example"],
                    ["Fakturace a platby", "+420 469 600 120", "fakturace@pramenov.example"],
                    ["Podatelna", "+420 469 600 101", "podatelna@pramenov.example"],
                ],
                "first_row_is_table_header": True,
                "first_col_is_header": False,
                "table_header_choice": "row",
                "table_caption": "Kam se obrátit",
            },
        ),
        (
            "callout",
            {
                "kind": "success",
                "title": "Většinu věcí vyřídíte bez návštěvy",
                "text": "<p>Stav vodoměru, faktury, zálohy i změnu korespondenční adresy najdete "
                'v zákaznickém portálu. Na ostatní se nás zeptejte přes formulář <a page="napiste-nam">'
                "Napište nám</a>.</p>",
            },
        ),
        (
            "accordion",
            {
                "items": [
                    {
                        "title": "Zákaznické centrum",
                        "body": f"<p>{UTILITY['street']}, {UTILITY['municipality']}. "
                        "Bezbariérový vstup z parkoviště za budovou. Platit můžete kartou "
                        "i hotově.</p><ul><li>pondělí a středa 8:00–17:00</li>"
                        "<li>úterý a čtvrtek 8:00–14:00</li><li>pátek 8:00–12:00</li></ul>",
                    },
                    {
                        "title": "Fakturační údaje",
                        "body": f"<p>{UTILITY['legal_name']}, IČO {UTILITY['ico']}, "
                        f"DIČ {UTILITY['dic']}</p><p>Společnost je zapsána v obchodním rejstříku "
                        "vedeném Krajským soudem v Hradci Králové, oddíl B, vložka 9999.</p>",
                    },
                    {
                        "title": "Ochrana osobních údajů",
                        "body": "<p>Osobní údaje zpracováváme jen k plnění smlouvy o dodávce "
                        "vody a odvádění odpadních vod a k plnění zákonných povinností. "
                        "Doklady uchováváme deset let. Zprávy z formuláře Napište nám "
                        "čtou jen pracovníci zákaznického centra a 12 měsíců po odeslání je "
                        "mažeme. Na zpracování se můžete zeptat "
                        "pověřence na adrese poverenec@pramenov.example.</p>",
                    },
                ]
            },
        ),
    ],
}

CASE_STUDY_INDEX = {
    "model": "CaseStudyIndexPage",
    "slug": "pripadove-studie",
    "title": "Případové studie",
    "intro": (
        "Na zákaznickém portálu Pramen stojí i další vodárny, od obecního vodovodu s pár sty "
        "přípojkami po městskou společnost s deseti tisíci odběrnými místy. Jak se jim osvědčil?"
    ),
}

ACCESSIBILITY_SLUG = "prohlaseni-o-pristupnosti"
FORM_SLUG = "napiste-nam"
