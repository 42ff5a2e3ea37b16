"""Plainly fictional names and German texts for the demo data (no real people or firms)."""

# kind|name|contact person|street|postcode city|preferred channel
OWNERS = [
    "public|Stadt Ballenstedt|Liegenschaftsamt|Rathausplatz 12|06493 Ballenstedt|email",
    "person|Erika Mustermann||Musterweg 1|06493 Ballenstedt|letter",
    "person|Max Beispiel||Beispielstraße 7|06484 Quedlinburg|phone",
    "person|Anna Beispielmann||Am Probehang 3|38820 Halberstadt|email",
    "person|Klaus Musterhaus||Platzhalterweg 12|39104 Magdeburg|letter",
    "person|Petra Probe||Probeallee 5|06108 Halle (Saale)|email",
    "person|Jürgen Exempel||Exempelgasse 2|04109 Leipzig|phone",
    "person|Sabine Testfrau||Testring 44|10115 Berlin|email",
    "person|Horst Platzhalter||Musterweg 9|06493 Ballenstedt|letter",
    "person|Gisela Muster||Dorfstraße 3|06493 Ballenstedt OT Badeborn|visit",
    "person|Dieter Beispiel||Hauptstraße 8|06493 Ballenstedt OT Rieder|phone",
    "person|Monika Exempel||Lindenweg 21|20095 Hamburg|email",
    "person|Frank Mustermann||Bergstraße 4|06502 Thale|letter",
    "person|Ursula Probe||Kirchweg 1|06493 Ballenstedt OT Opperode|letter",
    "person|Thomas Beispielsohn||Feldweg 6|80331 München|email",
    "person|Karin Musterfrau||Am Anger 2|06493 Ballenstedt OT Radisleben|phone",
    "company|Musterbau GmbH|Herr Beispiel (Geschäftsführung)|Gewerbering 1|06484 Quedlinburg|email",
    "company|Beispiel Immobilien GmbH & Co. KG|Frau Muster|Hafenstraße 10|39106 Magdeburg|email",
    "company|Harzblick Hausverwaltung (Beispiel) GmbH|Frau Probe|Markt 2|06484 Quedlinburg|email",
    "company|Exempel Grundbesitz AG|Objektbetreuung|Parkallee 100|60311 Frankfurt am Main|letter",
    "company|Muster & Söhne Handels-GmbH|Herr Muster jun.|Allee 99|06493 Ballenstedt|phone",
    "heirs|Erbengemeinschaft Beispiel|Max Beispiel|Beispielstraße 7|06484 Quedlinburg|letter",
    "heirs|Erbengemeinschaft Muster|Erika Mustermann|Musterweg 1|06493 Ballenstedt|letter",
    "heirs|Erbengemeinschaft Probe|Petra Probe|Probeallee 5|06108 Halle (Saale)|email",
    "church|Evangelische Kirchengemeinde (Beispiel)|Pfarramt|Kirchplatz 1|06493 Ballenstedt|letter",
    "association|Heimatverein Beispiel e.V.|Vorstand|Oberhof 5|06493 Ballenstedt|email",
    "association|SV Musterdorf e.V.|Kassenwart|Sportplatz 1|06493 Ballenstedt OT Rieder|phone",
    "association|Förderverein Musterdorf e.V.|Vorstand|Anger 1|06493 Ballenstedt OT Badeborn|email",
    "person|Wolfgang Testmann||Schulweg 3|06493 Ballenstedt|letter",
    "person|Renate Beispielfrau||Ringstraße 18|38855 Wernigerode|phone",
]
MANAGERS = ("Harzblick Hausverwaltung (Beispiel) GmbH", "Beispiel Immobilien GmbH & Co. KG")
HEIR_PERSONS = (
    "Thomas Beispielsohn",
    "Monika Exempel",
    "Frank Mustermann",
    "Renate Beispielfrau",
    "Jürgen Exempel",
)

PUBLIC_DESCRIPTIONS = {
    "shop": [
        "Helles Ladenlokal mit großem Schaufenster an der Allee – ideal für einen Pop-up-Laden "
        "oder eine kleine Ausstellung.",
        "Ehemaliges Fachgeschäft in bester Lage unter den Kastanien. Die Eigentümer freuen sich "
        "über Ideen für eine Zwischennutzung.",
        "Kleiner Laden mit ebenerdigem Eingang, gut geeignet für Atelier, Café oder Repair-Café.",
    ],
    "office": [
        "Freundliche Büroräume im Stadtzentrum, für Beratung, Coworking oder Vereinsarbeit.",
        "Ehemalige Praxisräume mit separatem Eingang – warten auf neue Ideen.",
    ],
    "gastro": [
        "Ehemaliger Gasthof mit Gastraum und Küche – für Dorfcafé, Feste oder Kulturabende.",
        "Gaststube mit Theke und Nebenraum, lange geschlossen und bereit für neues Leben.",
    ],
    "hall": [
        "Saal für Veranstaltungen, Proben oder Feiern; Bühne vorhanden.",
        "Großer Saal im Ortskern – für Vereinsabende, Kino oder Märkte.",
    ],
    "workshop": [
        "Werkstatt mit Tor und Starkstrom, gut für Handwerk, Fahrradwerkstatt oder Lager.",
        "Scheune und Werkstatt auf dem Hof – viel Platz für Ideen.",
    ],
    "whole_building": [
        "Ganzes Haus mit Garten im Ortskern, ideal für ein gemeinschaftliches Projekt.",
        "Historisches Gebäude, das nach einer sinnvollen Nutzung sucht.",
    ],
    "flat": ["Wohnung im Obergeschoss, hell und ruhig."],
}

INTERNAL_NOTES = [
    "Dach undicht, Eigentümer informiert.",
    "Schlüssel beim Nachbarn (Hausnummer daneben).",
    "Heizung seit zwei Wintern außer Betrieb.",
    "Eigentümerin wohnt weit weg, bevorzugt E-Mail.",
    "Zählerschrank muss erneuert werden, bevor jemand einzieht.",
    "Schaufenster beklebt, Innenraum besenrein.",
    "Im Erbfall ungeklärt, wer entscheidet.",
    "Denkmalbehörde vor Umbauten fragen.",
]

SUITABLE_USES = {
    "shop": ["popup", "exhibition", "atelier", "cafe", "office", "youth"],
    "office": ["office", "club", "atelier", "youth"],
    "gastro": ["cafe", "events", "club", "popup"],
    "hall": ["events", "club", "youth", "exhibition"],
    "workshop": ["workshop", "atelier", "club"],
    "whole_building": ["club", "youth", "atelier", "events", "workshop", "exhibition"],
    "flat": [],
    "other": ["popup"],
}

UNIT_NAMES = {
    "shop": "EG Ladenlokal",
    "office": "Büro",
    "gastro": "ehem. Gasthof",
    "flat": "Wohnung",
    "hall": "Saal",
    "workshop": "Werkstatt",
    "whole_building": "ganzes Gebäude",
}
