"""Logging that is safe to keep: one JSON object per line, with personal data scrubbed.

Signers' safety depends on logs never holding their email, name, IP address or the tokens
of their links, whatever a library chooses to log (Django logs the path of every 4xx).
"""

import json
import logging
import re

from signatures import links

_SCRUBBERS = [
    (re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"), "[email]"),
    (re.compile(r"\b\d{1,3}(\.\d{1,3}){3}\b"), "[ip]"),
    (re.compile(r"\b[0-9a-f]{0,4}(:[0-9a-f]{0,4}){2,7}\b", re.IGNORECASE), "[ip]"),
]


def scrub(text):
    text = links.redact(text)
    for pattern, replacement in _SCRUBBERS:
        text = pattern.sub(replacement, text)
    return text


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        if record.exc_info:
            entry["exception"] = scrub(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)
