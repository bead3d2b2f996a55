"""Two case studies of utilities running the portal: a village and a town-owned company."""

from __future__ import annotations

CASE_STUDIES = [
    {
        "slug": "obecni-vodovod-lipova-lhota",
        "title": "Lipová Lhota: portál pro obecní vodovod se 640 odběrnými místy",
        "intro": (
            "Obec, která vodovod provozuje sama, potřebovala ušetřit čas jediné účetní. "
            "Odečty, zálohy a dotazy na platby dnes řeší z velké části portál."
        ),
        "utility_name": "Obec Lipová Lhota – obecní vodovod",
        "utility_size": "small",
        "supply_points": 640,
        "connected_systems": (
            "ZIS vodné a stočné (dávky přes sdílenou složku), obecní účetnictví, "
            "bankovní výpisy ve formátu GPC"
        ),
        "outcome": (
            "<ul>"
            "<li>V prvním roce nahlásilo 41 % odběratelů stav vodoměru samoodečtem v portálu.</li>"
            "<li>Pochůzkový odečet se zkrátil ze tří týdnů na šest dní.</li>"
            "<li>Telefonátů kvůli zálohám a platbám ubyla zhruba polovina.</li>"
            "<li>Změny korespondenčních adres přicházejí rovnou do ZIS, bez přepisování "
            "z papíru.</li>"
            "</ul>"
        ),
        "body": [
            ("heading", {"text": "Výchozí stav", "level": "h2"}),
            (
                "paragraph",
                "<p>Lipová Lhota má 1 700 obyvatel a vlastní vodovod, který provozuje obecní "
                "úřad. Fakturaci vodného a stočného měla na starosti jediná účetní, která "
                "zároveň vedla celé obecní účetnictví. Na jaře, v době ročního odečtu, trávila "
                "většinu času u telefonu: lidé se ptali na výši záloh, na to, jestli jim "
                "dorazila platba, a diktovali stavy vodoměrů.</p>",
            ),
            ("heading", {"text": "Řešení", "level": "h2"}),
            (
                "paragraph",
                "<p>Portál běží na obecním serveru a s fakturačním systémem si vyměňuje data "
                "přes sdílenou složku: každou noc převezme nové faktury, platby a odečty, "
                "ráno odevzdá schválené samoodečty a změny adres. Aktivační kódy obec vytiskla "
                "na jarní vyúčtování, takže se odběratelé mohli zaregistrovat hned.</p>"
                "<p>Samoodečty schvaluje účetní jednou denně v administraci. Portál jí předem "
                "označí hodnoty, které neodpovídají dosavadní spotřebě, takže kontroluje jen "
                "je. Ostatní schválí hromadně.</p>",
            ),
            (
                "callout",
                {
                    "kind": "success",
                    "title": "Zkušenost obce",
                    "text": "<p>„Nejvíc nám pomohlo, že lidé sami vidí, jestli jim platba "
                    "dorazila. Dřív to byl každý druhý telefon,“ říká účetní obecního "
                    "úřadu.</p>",
                },
            ),
        ],
    },
    {
        "slug": "mestske-vodarny-horni-brod",
        "title": "Horní Brod: 9 800 odběrných míst a odečty bez front",
        "intro": (
            "Městská společnost zavedla portál spolu s dálkovým odečtem vodoměrů. "
            "Odběratelé vidí denní spotřebu a únik vody poznají dřív než z faktury."
        ),
        "utility_name": "Vodárny Horní Brod, s.r.o.",
        "utility_size": "medium",
        "supply_points": 9800,
        "connected_systems": (
            "ZIS vodné a stočné, ERP a mzdy, aplikace pro odečítače, "
            "dálkový odečet rádiových vodoměrů, SIPO"
        ),
        "outcome": (
            "<ul>"
            "<li>Po dvou letech má účet v portálu 5 300 odběratelů, víc než polovina.</li>"
            "<li>Faktury a daňové doklady v PDF nahradily 60 % papírových zásilek.</li>"
            "<li>Díky denní spotřebě z rádiových vodoměrů odběratelé za rok odhalili 84 skrytých "
            "úniků vody.</li>"
            "<li>Fronty v zákaznickém centru v době vyúčtování zmizely.</li>"
            "</ul>"
        ),
        "body": [
            ("heading", {"text": "Výchozí stav", "level": "h2"}),
            (
                "paragraph",
                "<p>Společnost vlastněná městem Horní Brod zásobuje vodou 24 000 obyvatel "
                "a několik průmyslových areálů. Každé jaro rozesílala téměř deset tisíc "
                "vyúčtování a v zákaznickém centru se tvořily fronty lidí, kteří chtěli "
                "rozumět nedoplatku nebo změnit zálohy.</p>",
            ),
            ("heading", {"text": "Řešení", "level": "h2"}),
            (
                "paragraph",
                "<p>Portál dostává data z fakturačního systému po HTTP několikrát denně, včetně "
                "denních hodnot z 3 200 rádiových vodoměrů. Odběratel vidí spotřebu po dnech "
                "a nárůst, který neodpovídá jeho zvyklostem, si všimne během několika dní. "
                "Odečítači s mobilní aplikací mezitím obcházejí jen místa s klasickými "
                "vodoměry.</p>"
                "<p>Operátoři zákaznického centra pracují v administraci portálu: schvalují "
                "samoodečty a změny adres, vydávají aktivační kódy a vidí stav synchronizace "
                "s fakturačním systémem. Každé rozhodnutí je zapsané, takže se dá kdykoli "
                "dohledat, kdo a kdy změnu schválil.</p>",
            ),
            (
                "table",
                {
                    "data": [
                        ["Ukazatel", "Před zavedením", "Po dvou letech"],
                        ["Odběratelé s účtem v portálu", "0", "5 300"],
                        ["Samoodečty za rok", "1 100 (telefonem)", "4 700 (v portálu)"],
                        ["Papírové faktury za rok", "11 600", "4 650"],
                    ],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_header_choice": "row",
                    "table_caption": "Horní Brod v číslech",
                },
            ),
        ],
    },
]
