"""The console mail backend of development (`make run`), printing emails so they can be read."""

from django.core.mail.backends.console import EmailBackend


class ReadableConsoleBackend(EmailBackend):
    """Django's console backend, printing each email as it reads.

    Left to itself, the email package encodes a Russian text in base64 (and wraps an English
    one in quoted-printable, breaking its links) and a Russian subject in encoded words, so in
    the terminal neither the text nor its links can be read or opened. Only what is printed
    changes: the message is built as for sending, then its text bodies are set again,
    unencoded, and it is printed with its headers in UTF-8.
    """

    def write_message(self, message):
        email = message.message()
        for part in email.walk():
            if part.is_multipart() or part.get_content_maintype() != "text":
                continue
            if part.get_content_disposition() is not None:
                continue  # an attachment: printed as it would be sent
            part.set_content(
                part.get_content(),
                subtype=part.get_content_subtype(),
                charset=part.get_content_charset() or "utf-8",
                cte="8bit",
            )
        # Headers too: in UTF-8 as written (RFC 6532), not as encoded words.
        printed = email.as_bytes(policy=email.policy.clone(utf8=True))
        self.stream.write(printed.decode("utf-8", "replace") + "\n")
        self.stream.write("-" * 79 + "\n")
