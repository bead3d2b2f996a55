"""News articles of the demo utility, oldest first. Each has an intro and a body of 2–4 paragraphs."""

from __future__ import annotations

from datetime import date

from .utility import EMERGENCY_PHONE

ARTICLES = [
    {
        "slug": "rozbory-pitne-vody-za-rok-2025",
        "title": "Pitná voda v roce 2025 splnila všechny limity",
        "date": date(2026, 2, 16),
        "intro": (
            "Laboratoř loni odebrala 412 vzorků z vodojemů, sítě i kohoutků v domech. "
            "Všechny výsledky byly v mezích, které pro pitnou vodu stanoví předpisy."
        ),
        "body": [
            (
                "paragraph",
                "<p>Kvalitu vody sledujeme od zdroje až po kohoutek. Akreditovaná laboratoř "
                "v roce 2025 rozebrala 412 vzorků z obou úpraven vody, ze šesti vodojemů "
                "a z odběrných míst ve všech dvanácti obcích. Zkoumala mimo jiné mikrobiologické "
                "ukazatele, dusičnany, železo, mangan a obsah chloru.</p>",
            ),
            (
                "paragraph",
                "<p>Průměrný obsah dusičnanů byl 11 mg/l, tedy necelá čtvrtina limitu 50 mg/l. "
                "Voda z úpravny Pramenov je středně tvrdá (vápník a hořčík 2,1 mmol/l), voda "
                "z prameniště Zálesí je měkčí (1,4 mmol/l). Hodnota pH se pohybovala mezi "
                "7,2 a 7,6.</p>",
            ),
            (
                "paragraph",
                "<p>Výsledky za jednotlivé obce vám na požádání pošleme; každý měsíc je "
                "předáváme také krajské hygienické stanici. Pokud vám voda připadá zakalená nebo má "
                "neobvyklou chuť, zavolejte nám; vzorek odebereme zdarma. Odpovědi na další "
                'otázky o kvalitě vody jsou v <a page="caste-dotazy">častých dotazech</a>.</p>',
            ),
        ],
    },
    {
        "slug": "spoustime-zakaznicky-portal",
        "title": "Spouštíme zákaznický portál",
        "date": date(2026, 3, 9),
        "intro": (
            "Od pondělí 9. března si můžete stav vodoměru nahlásit, faktury stáhnout a platby "
            "zkontrolovat online, kdykoli a bez návštěvy zákaznického centra."
        ),
        "body": [
            (
                "paragraph",
                "<p>V zákaznickém portálu uvidíte všechna svá odběrná místa, vodoměry a historii "
                "odečtů. Spotřebu si zobrazíte v grafu po letech, měsících, a máte-li dálkově "
                "odečítaný vodoměr, i po dnech. Najdete tu faktury, platební kalendář, přijaté platby "
                "a daňové doklady k zaplaceným zálohám, všechno ke stažení v PDF.</p>",
            ),
            (
                "paragraph",
                "<p>Registrace zabere pár minut. Zadáte e-mail a heslo, potvrdíte e-mail a pak "
                "propojíte účet se svým odběratelem pomocí čísla odběratele a aktivačního kódu. "
                "Oba údaje najdete na poslední faktuře. Kdo kód nemá, vyžádá si ho "
                'přes formulář <a page="napiste-nam">Napište nám</a> nebo v zákaznickém centru.</p>',
            ),
            (
                "paragraph",
                "<p>Samoodečet z portálu zkontroluje náš pracovník a po schválení vám přijde "
                "e-mail. Stejně tak vyřídíme požadavek na změnu korespondenční adresy. Data portálu "
                "zůstávají na serverech vodárny a nepředáváme je žádné třetí straně.</p>",
            ),
        ],
    },
    {
        "slug": "vymena-vodomeru-horni-lhota-a-zalesi",
        "title": "Měníme vodoměry v Horní Lhotě a Zálesí",
        "date": date(2026, 4, 20),
        "intro": (
            "Od května do července vyměníme 1 150 vodoměrů, kterým končí šestiletá platnost "
            "ověření. Výměna je zdarma a trvá asi dvacet minut."
        ),
        "body": [
            (
                "paragraph",
                "<p>Vodoměry na studenou vodu musí projít ověřením každých šest let. Místo "
                "ověřování starých kusů je vyměňujeme za nové, v Horní Lhotě a Zálesí už za "
                "vodoměry s rádiovým odečtem. Stav pak odečteme z ulice a nebudeme vás muset "
                "obtěžovat v domě.</p>",
            ),
            (
                "paragraph",
                "<p>Termín výměny vám oznámíme lístkem ve schránce nejméně týden předem. "
                "Pokud vám nevyhovuje, zavolejte do zákaznického centra a domluvíme jiný. "
                "Naši montéři se prokazují služebním průkazem; za výměnu nikdy nevybírají "
                "peníze.</p>",
            ),
            (
                "paragraph",
                "<p>Při výměně zapíšeme konečný stav starého a počáteční stav nového vodoměru "
                "do protokolu, který vám necháme. Oba stavy uvidíte i v zákaznickém portálu "
                "a na příští faktuře bude spotřeba rozdělena na starý a nový vodoměr.</p>",
            ),
            (
                "callout",
                {
                    "kind": "info",
                    "title": "Připravte přístup k vodoměru",
                    "text": "<p>Uvolněte prosím prostor kolem vodoměrné šachty nebo skříňky "
                    "a zkontrolujte, že jdou zavřít ventily před vodoměrem a za ním.</p>",
                },
            ),
        ],
    },
    {
        "slug": "srazkove-vody-kdo-plati-a-jak-se-pocitaji",
        "title": "Srážkové vody: kdo platí a jak se počítají",
        "date": date(2026, 6, 8),
        "intro": (
            "Déšť ze střech a parkovišť odtéká do kanalizace a čistírna ho musí zpracovat. "
            "Proto za něj firmy a úřady platí stočné. Vysvětlujeme, jak se částka počítá."
        ),
        "body": [
            (
                "paragraph",
                "<p>Povinnost platit za srážkové vody stanoví zákon o vodovodech a kanalizacích. "
                "Platí ji vlastníci nemovitostí, ze kterých dešťová voda odtéká do veřejné "
                "kanalizace. Domácnosti jsou osvobozené, stejně jako veřejně přístupné silnice "
                "a některé další plochy, které zákon vyjmenovává.</p>",
            ),
            (
                "paragraph",
                "<p>Roční množství se počítá takto: výměru každé plochy vynásobíme odtokovým "
                "součinitelem jejího druhu, výsledky sečteme a vynásobíme dlouhodobým srážkovým "
                "normálem. Střecha nebo asfalt (kategorie A) má součinitel 0,9, propustná "
                "dlažba (C) 0,4, trávník (F) jen 0,05. Pro Pramenov platí normál 0,686 m "
                "za rok.</p>",
            ),
            (
                "paragraph",
                "<p>Příklad: provozovna má 1 200 m² střech a asfaltu, 500 m² zatravňovací dlažby "
                "a 250 m² trávníku. Počítáme (1 200 × 0,9 + 500 × 0,4 + 250 × 0,05) × 0,686 = "
                "886,7 m³ za rok. Při letošní ceně stočného 46,20 Kč/m³ bez DPH to je "
                "40 965,54 Kč bez DPH za rok.</p>",
            ),
            (
                "paragraph",
                "<p>Plochy, kategorie a výpočet pro každé své odběrné místo uvidíte v zákaznickém "
                "portálu. Postavili jste zelenou střechu nebo vsakujete dešťovou vodu na "
                'pozemku? Pošlete nám nové výměry přes <a page="napiste-nam">formulář</a> '
                "a od dalšího měsíce budete platit méně.</p>",
            ),
        ],
    },
    {
        "slug": "odstavka-vody-lucni-a-polni-8-zari",
        "title": "Odstávka vody v ulicích Luční a Polní 8. září",
        "date": date(2026, 8, 24),
        "intro": (
            "V úterý 8. září od 8:00 do 15:00 nepoteče voda v Pramenově v ulicích Luční a Polní. "
            "Vyměňujeme šedesát let starý litinový řad."
        ),
        "body": [
            (
                "paragraph",
                "<p>Odstávka se týká domů Luční 1 až 48 a Polní 2 až 31. Po celou dobu bude "
                "na křižovatce Luční a Polní stát cisterna s pitnou vodou; vezměte si vlastní "
                "čisté nádoby. Práce na novém potrubí potrvají do konce září, voda ale poteče "
                "už 8. září odpoledne.</p>",
            ),
            (
                "paragraph",
                "<p>Po obnovení dodávky může být voda chvíli zakalená uvolněnými usazeninami. "
                "Nechte ji odtéct ze studeného kohoutku, dokud nebude čirá. Než voda zase "
                "poteče, nezapínejte pračku ani myčku a ohřívač vody raději vypněte.</p>",
            ),
            (
                "callout",
                {
                    "kind": "warning",
                    "title": "Prodloužení odstávky",
                    "text": "<p>Kdyby práce trvaly déle, dáme vědět na této stránce "
                    f"a poruchová linka {EMERGENCY_PHONE} vám řekne aktuální stav.</p>",
                },
            ),
        ],
    },
    {
        "slug": "novy-cenik-vodneho-a-stocneho-pro-rok-2027",
        "title": "Nový ceník vodného a stočného pro rok 2027",
        "date": date(2026, 11, 20),
        "intro": (
            "Od 1. ledna 2027 zaplatíte za vodné a stočné 115,92 Kč za m³ včetně DPH, o 4,5 % "
            "více než letos. Peníze půjdou hlavně do obnovy čistírny v Zálesí."
        ),
        "body": [
            (
                "paragraph",
                "<p>Představenstvo schválilo po projednání s obcemi cenu vodného 55,40 Kč/m³ "
                "a stočného 48,10 Kč/m³ bez DPH. S DPH 12 % je to 62,05 Kč za vodné "
                "a 53,87 Kč za stočné. Tříčlenná domácnost se spotřebou 90 m³ za rok zaplatí "
                "zhruba o 38 Kč měsíčně více.</p>",
            ),
            (
                "paragraph",
                "<p>Téměř polovinu zdražení tvoří splátky a odpisy nové biologické linky "
                "čistírny odpadních vod v Zálesí, kterou požadují přísnější limity pro "
                "vypouštění do řeky. Zbytek padá na dražší energie a chemikálie pro úpravu "
                "vody. Podrobnou kalkulaci najdete na stránce "
                '<a page="cenik">Ceník vodného a stočného</a>.</p>',
            ),
            (
                "paragraph",
                "<p>Zálohy pro rok 2027 přepočítáme sami a nový platební kalendář uvidíte "
                "v zákaznickém portálu do poloviny prosince. Platíte-li přes SIPO, změnu "
                "pošleme České poště, nemusíte nic dělat. Pokud nám mezi 28. prosincem "
                "a 10. lednem nahlásíte stav vodoměru samoodečtem, rozdělíme spotřebu mezi "
                "starou a novou cenu přesně podle něj.</p>",
            ),
        ],
    },
]
