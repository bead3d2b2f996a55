"""Frequently asked questions, grouped by topic. Anchors are stable: links from e-mails use them."""

from __future__ import annotations

from .utility import EMERGENCY_PHONE


def _q(question: str, anchor: str, *paragraphs: str) -> dict:
    """One question; each paragraph is wrapped in <p> unless it is already a block (a list)."""
    answer = "".join(p if p.startswith("<") else f"<p>{p}</p>" for p in paragraphs)
    return {"question": question, "anchor": anchor, "answer": answer}


READINGS = {
    "title": "Odečty a samoodečet",
    "questions": [
        _q(
            "Jak nahlásím stav vodoměru?",
            "jak-nahlasit-stav-vodomeru",
            "Nejrychleji v zákaznickém portálu: v části Odečty vyberte odběrné místo a vodoměr, "
            "zadejte stav v m³ a datum odečtu. Celé m³ jsou černá čísla; ukazuje-li vodoměr i "
            "červené číslice, můžete je připsat za desetinnou čárku jako litry (nejvýše tři "
            "desetinná místa, např. 1234,567). Bez portálu můžete stav poslat přes "
            'formulář <a page="napiste-nam">Napište nám</a> s číslem odběratele a výrobním '
            "číslem vodoměru, nebo ho nahlásit v zákaznickém centru.",
        ),
        _q(
            "Jak stav vodoměru správně přečíst?",
            "jak-precist-vodomer",
            "Černá čísla na bílém podkladu udávají celé krychlové metry, ty zapište vždy. Červené "
            "číslice ukazují desetiny, setiny a tisíciny m³, tedy litry: do portálu je můžete "
            "připsat za desetinnou čárku (nejvýše tři), ale nemusíte. Ručičky nezapisujte. "
            "Zkontrolujte také, "
            "že výrobní číslo na vodoměru odpovídá číslu v portálu nebo na faktuře.",
        ),
        _q(
            "Proč portál označil můj samoodečet jako neobvyklý?",
            "neobvykly-samoodecet",
            "Portál každý stav porovná s posledním schváleným odečtem a s vaší dosavadní "
            "spotřebou. Stav nižší než poslední schválený odečet téhož vodoměru nepřijme, protože "
            "vodoměr nemůže couvat; zkontrolujte, zda čtete správný vodoměr (po výměně vodoměru "
            "má nový vodoměr vlastní stav). Když z hodnoty vychází spotřeba mnohem vyšší či "
            "nižší než obvykle, portál vás upozorní. Nejde o chybu: stav buď opravte, nebo "
            "ho potvrďte a přiložte fotografii vodoměru. Náš pracovník ho pak zkontroluje.",
            "Nápadně vysoká spotřeba bývá znamením úniku vody, například protékajícího "
            "splachovače. Když jsou všechny kohoutky zavřené, nesmí se na vodoměru hýbat ani "
            "nejmenší ručička.",
        ),
        _q(
            "Kdy se samoodečet projeví na faktuře?",
            "kdy-se-samoodecet-projevi",
            "Samoodečet nejprve schválí náš pracovník, obvykle do dvou pracovních dnů, a o "
            "výsledku vám pošleme e-mail. Schválený stav použijeme v nejbližším vyúčtování. "
            "V jednom fakturačním období přijmeme jeden samoodečet na vodoměr.",
        ),
        _q(
            "Co se stane s odečtem při výměně vodoměru?",
            "odecet-pri-vymene-vodomeru",
            "Montér zapíše do protokolu konečný stav starého vodoměru a počáteční stav nového, "
            "oba ke stejnému dni. Spotřebu pak spočítáme zvlášť za starý a zvlášť za nový "
            "vodoměr a na faktuře je sečteme. Nelekněte se proto, že nový vodoměr ukazuje nulu "
            "nebo nízké číslo.",
        ),
        _q(
            "Proč mám na faktuře odhadnutou spotřebu?",
            "odhadnuta-spotreba",
            "Když se k vodoměru nedostaneme a stav nám nenahlásíte, spotřebu odhadneme podle "
            "vaší spotřeby ve stejném období minulých let. U nových odběrných míst bez historie "
            "vycházíme ze směrných čísel roční potřeby vody podle přílohy 12 vyhlášky "
            "č. 428/2001 Sb. Odhad se vyrovná při příštím skutečném odečtu, nic tedy "
            "nezaplatíte dvakrát.",
        ),
    ],
}

INVOICES = {
    "title": "Faktury a zálohy",
    "questions": [
        _q(
            "Jak často dostanu fakturu?",
            "jak-casto-faktura",
            "Domácnostem posíláme vyúčtování jednou ročně po pravidelném odečtu, firmám s vyšší "
            "spotřebou čtvrtletně nebo měsíčně. Mezi vyúčtováními platíte zálohy podle "
            "platebního kalendáře. Faktury i platební kalendář najdete v zákaznickém "
            "portálu.",
        ),
        _q(
            "Jak se stanoví výše záloh?",
            "vyse-zaloh",
            "Zálohy vypočítáme z vaší spotřeby za poslední rok a z ceny platné pro nové období, "
            "aby jejich součet odpovídal očekávané roční částce a vyúčtování vás nepřekvapilo "
            "nedoplatkem. Po každém vyúčtování a při změně ceny zálohy přepočítáme a pošleme "
            "nový platební kalendář.",
        ),
        _q(
            "Mohu si výši záloh změnit?",
            "zmena-zaloh",
            "Ano. Když se vaše spotřeba výrazně změní, třeba se někdo z domácnosti odstěhoval, "
            'napište nám přes <a page="napiste-nam">formulář</a> a zálohy upravíme. Počítejte '
            "ale s tím, že nižší zálohy mohou znamenat vyšší nedoplatek ve vyúčtování.",
        ),
        _q(
            "Jaká sazba DPH platí pro vodné a stočné?",
            "dph-vodne-stocne",
            "Od 1. ledna 2024 se vodné i stočné daní sníženou sazbou 12 %, předtím platila "
            "sazba 10 %. U starších faktur proto najdete 10 %. Sazbu vidíte na faktuře u každého "
            "řádku i v rekapitulaci DPH.",
        ),
        _q(
            "Co je daňový doklad k přijaté platbě?",
            "danovy-doklad-k-platbe",
            "Záloha na vodné a stočné je platbou předem, ze které musíme odvést DPH. Proto k ní "
            "do 15 dnů od přijetí vystavíme daňový doklad. Plátcům DPH slouží k uplatnění "
            "odpočtu daně. Doklad najdete v zákaznickém portálu u každé zaplacené zálohy "
            "a stáhnete si ho v PDF.",
        ),
        _q(
            "Kde najdu starší faktury?",
            "starsi-faktury",
            "V zákaznickém portálu v části Faktury a zálohy jsou faktury, zálohy a daňové "
            "doklady za posledních deset let. Stejně dlouho je podle zákona uchováváme i my, "
            "takže vám kopii kdykoli v této době vystavíme.",
        ),
    ],
}

PAYMENTS = {
    "title": "Platby",
    "questions": [
        _q(
            "Jak mohu platit?",
            "zpusoby-platby",
            "<ul>"
            "<li>bankovním převodem nebo trvalým příkazem na účet uvedený na faktuře, vždy "
            "s variabilním symbolem,</li>"
            "<li>QR platbou: kód z faktury nebo z portálu naskenujete v mobilním "
            "bankovnictví a údaje se vyplní samy,</li>"
            "<li>přes SIPO u České pošty,</li>"
            "<li>kartou nebo hotově v zákaznickém centru.</li>"
            "</ul>",
        ),
        _q(
            "Co je variabilní symbol a kde ho najdu?",
            "variabilni-symbol",
            "Variabilní symbol je číslo o nejvýše deseti číslicích, podle kterého vaši platbu "
            "přiřadíme ke správné faktuře nebo záloze. Najdete ho na faktuře, v předpisu záloh "
            "a v portálu. Platba bez variabilního symbolu nebo s chybným symbolem se k vám "
            "nemusí přiřadit a mohla by vám přijít upomínka, přestože jste zaplatili.",
        ),
        _q(
            "Jak si zařídím placení přes SIPO?",
            "sipo",
            "Pošlete nám své spojovací číslo SIPO, desetimístné číslo z dokladu SIPO od České "
            "pošty. Zálohy pak zahrneme do vaší měsíční platby SIPO od nejbližšího možného "
            "měsíce. Přes SIPO se platí zálohy; nedoplatek z vyúčtování zaplaťte podle pokynů "
            "na faktuře.",
        ),
        _q(
            "Zaplatil jsem, ale v portálu platbu nevidím. Co mám dělat?",
            "platba-se-nezobrazuje",
            "Platby z banky zpracováváme každý pracovní den; v portálu se objeví do dvou až tří "
            "pracovních dnů od připsání na náš účet. Pokud tam ani po týdnu není, zkontrolujte "
            "v příkazu variabilní symbol a číslo účtu a pošlete nám potvrzení o platbě. "
            "Dohledáme ji.",
        ),
        _q(
            "Co se stane s přeplatkem?",
            "preplatek",
            "Přeplatek z vyúčtování vám vrátíme do 30 dnů na účet, ze kterého obvykle platíte, "
            "nebo na účet, který nám sdělíte. Požádáte-li o to, započteme ho proti dalším "
            "zálohám.",
        ),
    ],
}

RAINWATER = {
    "title": "Srážkové vody",
    "questions": [
        _q(
            "Co jsou srážkové vody a proč se za ně platí?",
            "co-jsou-srazkove-vody",
            "Srážkové vody jsou dešťová voda a voda z tajícího sněhu, která ze střech "
            "a zpevněných ploch odtéká do veřejné kanalizace. Kanalizace ji musí odvést "
            "a čistírna vyčistit, proto se za ni podle § 20 odst. 6 zákona č. 274/2001 Sb. "
            "platí stočné.",
        ),
        _q(
            "Jak se množství srážkových vod vypočítá?",
            "vypocet-srazkovych-vod",
            "Roční množství v m³ = součet (výměra plochy v m² × odtokový součinitel) × "
            "dlouhodobý srážkový normál místa v m za rok. Součinitel závisí na kategorii "
            "plochy:",
            "<ul>"
            "<li>A – střechy a zpevněné plochy: 0,9</li>"
            "<li>B – zelené střechy se substrátem 5–10 cm: 0,6</li>"
            "<li>C – propustné zpevněné plochy: 0,4</li>"
            "<li>D – zelené střechy se substrátem 11–30 cm: 0,3</li>"
            "<li>E – zelené střechy se substrátem od 31 cm: 0,1</li>"
            "<li>F – plochy s vegetací: 0,05</li>"
            "</ul>",
            "Kategorie platí od 1. července 2022 podle přílohy 16 vyhlášky č. 428/2001 Sb. "
            "Pro Pramenov je normál 0,686 m za rok. Tabulku kategorií najdete i v "
            '<a page="cenik">ceníku</a>.',
        ),
        _q(
            "Kdo za srážkové vody neplatí?",
            "kdo-neplati-srazkove-vody",
            "Zákon osvobozuje domácnosti, tedy byty a rodinné domy, ve kterých se trvale bydlí. "
            "Neplatí se ani za veřejně přístupné silnice a místní komunikace, plochy drah "
            "a některé další plochy, které zákon vyjmenovává. Slouží-li budova zčásti "
            "k podnikání, platí se za podíl připadající na nebytovou část.",
        ),
        _q(
            "Změnily se plochy na mém pozemku. Co mám udělat?",
            "zmena-ploch",
            "Pošlete nám nové výměry a druh povrchu, nejlépe s jednoduchým nákresem nebo "
            "výkresem ze stavební dokumentace. Po kontrole upravíme výpočet od prvního dne "
            "následujícího měsíce. Aktuální plochy a výpočet pro každé odběrné místo vidíte "
            "v zákaznickém portálu.",
        ),
    ],
}

PORTAL_ACCOUNT = {
    "title": "Účet na zákaznickém portálu",
    "questions": [
        _q(
            "Jak se do portálu zaregistruji?",
            "registrace-do-portalu",
            "Na přihlašovací stránce zvolte Registrace, zadejte e-mail a heslo a potvrďte "
            "e-mail odkazem, který vám pošleme. Po prvním přihlášení propojte účet se svým "
            "odběratelem: zadejte číslo odběratele a aktivační kód. Pak uvidíte svá odběrná "
            "místa, odečty i faktury.",
        ),
        _q(
            "Kde najdu aktivační kód?",
            "aktivacni-kod",
            "Aktivační kód je vytištěný na faktuře vedle čísla odběratele. Pokud ho nemáte, "
            'vyžádejte si nový přes formulář <a page="napiste-nam">Napište nám</a> nebo '
            "v zákaznickém centru. Pošleme ho dopisem na korespondenční adresu odběratele, aby "
            "se k vašim údajům nedostal nikdo cizí. Po několika chybných pokusech se zadávání "
            "kódu na chvíli zablokuje.",
        ),
        _q(
            "Mohu v jednom účtu spravovat víc odběrných míst nebo odběratelů?",
            "vice-odberatelu",
            "Ano. Všechna odběrná místa jednoho odběratele uvidíte automaticky. Jste-li "
            "odběratelem vícekrát, například za sebe a za společenství vlastníků, propojte "
            "účet s každým odběratelem jeho aktivačním kódem. Jednoho odběratele může také "
            "spravovat víc lidí, třeba oba manželé nebo účetní, každý se svým přihlášením.",
        ),
        _q(
            "Musím používat dvoufázové ověření?",
            "dvoufazove-overeni",
            "Pro odběratele je dvoufázové ověření dobrovolné, ale doporučujeme ho. Zapnete ho "
            "v nastavení účtu: naskenujete QR kód do ověřovací aplikace v telefonu a při "
            "přihlášení pak kromě hesla zadáte šestimístný kód z aplikace. Uschovejte si "
            "záložní kódy pro případ, že telefon ztratíte.",
        ),
        _q(
            "Jak změním korespondenční adresu?",
            "zmena-korespondencni-adresy",
            "V portálu v části Moje údaje vyplňte novou adresu a odešlete požadavek. Náš "
            "pracovník ji zkontroluje a schválí, obvykle do dvou pracovních dnů, a pošleme vám "
            "e-mail. Od té doby chodí faktury a dopisy na novou adresu. Adresu odběrného místa "
            "takto změnit nelze, ta se mění smlouvou.",
        ),
        _q(
            "Co když zapomenu heslo?",
            "zapomenute-heslo",
            "Na přihlašovací stránce zvolte Zapomenuté heslo a zadejte e-mail svého účtu. "
            "Pošleme vám odkaz, kterým si nastavíte nové heslo. Odkaz platí jen omezenou dobu; "
            "pokud e-mail nepřijde, podívejte se do složky s nevyžádanou poštou.",
        ),
    ],
}

WATER_QUALITY = {
    "title": "Kvalita vody",
    "questions": [
        _q(
            "Jak tvrdou vodu dodáváte?",
            "tvrdost-vody",
            "Voda z úpravny Pramenov je středně tvrdá: vápníku a hořčíku obsahuje kolem "
            "2,1 mmol/l, asi 12 °dH. Obce zásobované z prameniště Zálesí mají měkčí vodu, "
            "kolem 1,4 mmol/l, asi 8 °dH. Podle toho nastavte dávkování pracího prášku "
            "a změkčovače v myčce.",
        ),
        _q(
            "Z kohoutku teče zakalená nebo hnědá voda. Co s tím?",
            "zakalena-voda",
            "Nejčastěji jde o usazeniny uvolněné po opravě nebo odstávce. Nechte studenou vodu "
            "několik minut odtékat, dokud nebude čirá. Pokud zákal nezmizí nebo voda zapáchá, "
            f"zavolejte poruchovou linku {EMERGENCY_PHONE}. Přijedeme vodu zkontrolovat "
            "a odebereme vzorek.",
        ),
    ],
}

TOPICS = [READINGS, INVOICES, PAYMENTS, RAINWATER, PORTAL_ACCOUNT, WATER_QUALITY]
