"""Hostile strings for the security tests: SQL payloads and cross-site-scripting payloads."""

SQL_IDS = (
    "x'); DROP TABLE articles; --",
    '"; DELETE FROM meta; --',
    "1 OR 1=1",
    "%s %(id)s ? :id $1",
    "back\\slash' \"quote",
    "unicode ✓ 北京 \u202e",
)

XSS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    '"><script>alert(document.cookie)</script>',
    "'><iframe src=javascript:alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<body onload=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<object data=\"data:text/html,<script>alert(1)</script>\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"https://evil.example/\">",
    "<form action=https://evil.example><input type=submit>",
    "<style>@import 'https://evil.example/x.css';</style>",
    "<!--<img src=\"--><img src=x onerror=alert(1)//\">",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "javascript:alert(1)",
    "</textarea><script>alert(1)</script>",
    "<![CDATA[<script>alert(1)</script>]]>",
    "\u003cscript\u003ealert(1)\u003c/script\u003e",
)
