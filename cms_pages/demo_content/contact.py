"""The "Napište nám" form page and the accessibility statement."""

from __future__ import annotations

from datetime import date

from .pages import ACCESSIBILITY_SLUG, FORM_SLUG
from .utility import EMERGENCY_PHONE, UTILITY

TOPIC_CHOICES = [
    "Odečty a vodoměry",
    "Faktury a zálohy",
    "Platby",
    "Srážkové vody",
    "Zákaznický portál",
    "Kvalita vody",
    "Něco jiného",
]

CONTACT_FORM = {
    "model": "FormPage",
    "slug": FORM_SLUG,
    "title": "Napište nám",
    "intro": (
        "<p>Máte dotaz k faktuře, záloze nebo odečtu? Chcete nahlásit změnu nebo si postěžovat? "
        "Napište nám a odpovíme do dvou pracovních dnů. Pokud jste náš odběratel, uveďte číslo "
        "odběratele z faktury, vyřídíme to rychleji.</p>"
        "<p>Poruchy a úniky vody hlaste prosím telefonicky na nonstop poruchovou linku "
        f"{EMERGENCY_PHONE}, formulář čteme jen v pracovní době.</p>"
        # Answering a question needs no consent: the legal basis is the contract with the
        # customer or the utility's legitimate interest in answering, so the page says so.
        "<p><b>Jak naložíme s vašimi údaji:</b> údaje z formuláře zpracováváme jen proto, "
        "abychom vám mohli odpovědět, na základě smlouvy o dodávce vody, jste-li náš "
        "odběratel, jinak na základě našeho oprávněného zájmu na vyřízení dotazu (čl. 6 "
        "odst. 1 písm. b) a f) GDPR). Souhlas k tomu nepotřebujeme. Zprávy čtou jen "
        "pracovníci zákaznického centra a 12 měsíců po odeslání je smažeme.</p>"
    ),
    "form_fields": [
        {"label": "Jméno a příjmení", "field_type": "singleline", "required": True},
        {"label": "E-mail", "field_type": "email", "required": True},
        {
            "label": "Telefon",
            "field_type": "singleline",
            "required": False,
            "help_text": "Nepovinné. Zavoláme vám, bude-li to rychlejší než psaní.",
        },
        {
            "label": "Číslo odběratele",
            "field_type": "singleline",
            "required": False,
            "help_text": "Nepovinné. Najdete ho v záhlaví faktury nebo v zákaznickém portálu.",
        },
        {
            "label": "Téma",
            "field_type": "dropdown",
            "required": True,
            "choices": "\n".join(TOPIC_CHOICES),
        },
        {"label": "Zpráva", "field_type": "multiline", "required": True},
    ],
    "to_address": "podatelna@pramenov.example",
    "from_address": "web@pramenov.example",
    "subject": "Dotaz z webu Vodárny Pramenov",
    "thank_you_text": (
        "<p><b>Děkujeme, vaši zprávu jsme přijali.</b></p>"
        "<p>Kopii jsme poslali na e-mail, který jste uvedli. Odpovíme do dvou pracovních dnů; "
        'mezitím se můžete podívat do <a page="caste-dotazy">častých dotazů</a>.</p>'
    ),
    "confirmation_subject": "Přijali jsme váš dotaz – Vodárna Pramenov",
    "confirmation_text": (
        "Dobrý den,\n\n"
        "děkujeme za zprávu. Přijali jsme ji a odpovíme vám do dvou pracovních dnů. "
        "Na tento e-mail prosím neodpovídejte; pokud chcete něco doplnit, pošlete formulář "
        "znovu nebo napište na info@pramenov.example.\n\n"
        "Vodárna Pramenov, zákaznické centrum\n\n"
        "Poslali jste nám:"
    ),
}

ACCESSIBILITY_STATEMENT = {
    "model": "AccessibilityStatementPage",
    "slug": ACCESSIBILITY_SLUG,
    "title": "Prohlášení o přístupnosti",
    "show_in_menus": False,
    "intro": (
        "Vodárna Pramenov, a.s. se zavazuje zpřístupnit své internetové stránky v souladu se "
        "zákonem č. 99/2019 Sb., o přístupnosti internetových stránek a mobilních aplikací. "
        "Prohlášení se vztahuje na web pramenov.example včetně zákaznického portálu. "
        "Připravili jsme ho na základě vlastního posouzení: ruční kontroly podle kritérií "
        "WCAG 2.1 na úrovni AA, automatických testů každé změny webu a zkoušky s čtečkou "
        "obrazovky NVDA."
    ),
    "compliance": "partial",
    "standard": "ČSN EN 301 549 (WCAG 2.1, úroveň AA)",
    "non_accessible_content": (
        "<p>Následující obsah zatím není plně přístupný:</p>"
        "<ul>"
        "<li><b>Graf spotřeby v zákaznickém portálu</b> nelze ovládat klávesnicí po jednotlivých "
        "sloupcích (kritérium 2.1.1). Stejné hodnoty jsou hned pod grafem v tabulce, kterou "
        "čtečky obrazovky přečtou. Ovládání klávesnicí doplníme do 30. června 2027.</li>"
        "<li><b>Ceníky a výroční zprávy z let 2019 až 2023</b> jsou naskenované dokumenty PDF "
        "bez textové vrstvy (kritérium 1.1.1). Přístupné verze připravujeme; do té doby vám "
        "jejich obsah rádi pošleme e-mailem jako text.</li>"
        "<li><b>Mapa plánovaných odstávek</b> na stránce aktualit je obrázek, jehož popis "
        "neuvádí všechny dotčené ulice (kritérium 1.1.1). Úplný seznam ulic je vždy v textu "
        "aktuality.</li>"
        "<li><b>Videonávod k registraci do portálu</b> zatím nemá titulky (kritérium 1.2.2). "
        "Titulky doplníme do 31. března 2027; postup registrace najdete i v častých "
        "dotazech.</li>"
        "</ul>"
    ),
    "prepared_on": date(2026, 3, 2),
    "reviewed_on": date(2026, 9, 30),
    "feedback": (
        "<p>Narazili jste na obsah, který pro vás není přístupný, nebo potřebujete informaci "
        "v jiné podobě? Dejte nám vědět:</p>"
        "<ul>"
        "<li>e-mailem na pristupnost@pramenov.example,</li>"
        f"<li>telefonicky na {UTILITY['phone']} v pracovní době zákaznického centra,</li>"
        f"<li>dopisem na adresu {UTILITY['legal_name']}, {UTILITY['street']}, "
        f"{UTILITY['postcode'][:3]} {UTILITY['postcode'][3:]} {UTILITY['municipality']}.</li>"
        "</ul>"
        "<p>Vaše oznámení nebo požadavek vyřídíme bez zbytečného odkladu, nejpozději do 30 dnů. "
        "Požadovanou informaci vám mezitím poskytneme jinou cestou, například e-mailem "
        "v čitelném textu.</p>"
    ),
    "enforcement": (
        "<p>Pokud vás naše odpověď neuspokojí nebo neodpovíme včas, můžete podat podnět "
        "Ministerstvu vnitra, které dohlíží na dodržování zákona č. 99/2019 Sb.:</p>"
        "<p>Ministerstvo vnitra, Nad Štolou 936/3, 170 34 Praha 7, "
        '<a href="https://www.mvcr.cz/">www.mvcr.cz</a></p>'
        "<p>Podnět můžete poslat dopisem, přes datovou schránku nebo elektronickou podatelnu "
        "ministerstva. Uveďte v něm adresu stránky, popis problému a naši odpověď, pokud jste "
        "ji dostali.</p>"
    ),
}
