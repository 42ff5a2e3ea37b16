"""leerstand.mail: plain-text mails through a real SMTP server on loopback, or the outbox."""

from email import policy
from email.parser import BytesParser

from leerstand import mail
from tests.conftest import make_app
from tests.initiatives import XSS
from tests.smtp import body, free_port


def test_send_through_smtp(mail_app, smtp_server):
    with mail_app.app_context():
        assert mail.send("ina@example.org", "Grüße aus Ballenstedt", f"Hallo {XSS}\nÄÖÜ ß")
    (message,) = smtp_server.wait_for(1)
    assert message["To"] == "ina@example.org"
    assert message["Subject"] == "Grüße aus Ballenstedt"
    assert message.get_content_type() == "text/plain"
    assert not message.is_multipart()
    assert f"Hallo {XSS}" in body(message)  # plain text: shown as it was typed, never HTML
    assert "ÄÖÜ ß" in body(message)


def test_without_mail_server_writes_the_outbox(tmp_path, caplog):
    app = make_app(MAIL_SERVER="", OUTBOX_DIR=str(tmp_path))
    with app.app_context(), caplog.at_level("INFO"):
        assert mail.send("ina@example.org", "Test", "Inhalt mit Umlaut: ä")
    (path,) = tmp_path.glob("*.eml")
    message = BytesParser(policy=policy.default).parse(path.open("rb"))
    assert message["Subject"] == "Test"
    assert "Umlaut: ä" in message.get_content()
    assert str(path) in caplog.text
    assert "Mail an …@example.org im Postausgang" in caplog.text  # the domain, not the person
    assert "ina@" not in caplog.text


def test_unreachable_smtp_returns_false():
    app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())  # nobody listens there
    with app.app_context():
        assert mail.send("ina@example.org", "Test", "Inhalt") is False
