"""Sends one message with Python's smtplib, as a user's script or client would. Input: JSON on stdin."""
import json
import smtplib
import ssl
import sys
from email.message import EmailMessage

args = json.load(sys.stdin)
context = ssl.create_default_context()
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE

msg = EmailMessage()
msg["From"] = args["from"]
msg["To"] = args["to"]
msg["Subject"] = args["subject"]
msg.set_content(args.get("body", "你好，附件是报告。"))
if args.get("attachment"):
    with open(args["attachment"], "rb") as f:
        msg.add_attachment(f.read(), maintype="application", subtype="octet-stream", filename="报告.bin")

try:
    if args["mode"] == "ssl":
        client = smtplib.SMTP_SSL("127.0.0.1", args["port"], context=context, timeout=20)
    else:
        client = smtplib.SMTP("127.0.0.1", args["port"], timeout=20)
        client.starttls(context=context)
    with client:
        client.login(args["user"], args["password"])
        client.send_message(msg)
    print(json.dumps({"ok": True}))
except smtplib.SMTPResponseException as e:
    print(json.dumps({"ok": False, "code": e.smtp_code, "message": e.smtp_error.decode("utf-8", "replace")}))
