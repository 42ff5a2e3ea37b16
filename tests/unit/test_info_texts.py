"""services.towns.texts.blocks: plain text to headings, paragraphs (with line breaks) and lists;
web and e-mail addresses become link segments, everything else stays text."""

from leerstand.services.towns.texts import Block, blocks


def test_headings_paragraphs_and_lists():
    text = "## Titel\nErste Zeile\nzweite Zeile\n\n\n- eins\n- zwei\n\nSchluss  \r\n"
    assert blocks(text) == [
        Block("heading", [[("Titel", None)]]),
        Block("paragraph", [[("Erste Zeile", None)], [("zweite Zeile", None)]]),
        Block("list", [[("eins", None)], [("zwei", None)]]),
        Block("paragraph", [[("Schluss", None)]]),
    ]


def test_a_heading_inside_a_paragraph_splits_it():
    assert blocks("Vorher\n## Mitte\nNachher") == [
        Block("paragraph", [[("Vorher", None)]]),
        Block("heading", [[("Mitte", None)]]),
        Block("paragraph", [[("Nachher", None)]]),
    ]


def test_a_paragraph_with_one_non_list_line_is_no_list():
    assert blocks("- eins\nzwei")[0].kind == "paragraph"


def test_links_for_web_and_mail_addresses_only():
    (block,) = blocks("Mail an a.b@stadt.example, Web https://x.example/a?b=1. javascript:alert(1)")
    assert block.lines[0] == [
        ("Mail an ", None),
        ("a.b@stadt.example", "mailto:a.b@stadt.example"),
        (", Web ", None),
        ("https://x.example/a?b=1", "https://x.example/a?b=1"),
        (". javascript:alert(1)", None),
    ]


def test_html_stays_text():
    (block,) = blocks("<script>alert(1)</script>")
    assert block.lines == [[("<script>alert(1)</script>", None)]]


def test_empty_text_has_no_blocks():
    assert blocks("") == [] and blocks("\n \n") == []
