# Drives the POP3 server with Python's poplib and prints what it saw as JSON for the node test.
import json, poplib, ssl, sys

port, tls_port = int(sys.argv[1]), int(sys.argv[2])
ctx = ssl._create_unverified_context()
out = {}

p = poplib.POP3('127.0.0.1', port)
out['plain_capa'] = sorted(p.capa().keys())
try:
    p.user('alice')
    out['plain_user'] = 'accepted'
except poplib.error_proto as e:
    out['plain_user'] = e.args[0].decode()
p.stls(context=ctx)
out['tls_capa'] = sorted(p.capa().keys())
p.user('twofa')
try:
    p.pass_('main-password')
except poplib.error_proto as e:
    out['twofa'] = e.args[0].decode()
p.user('alice')
try:
    p.pass_('wrong')
except poplib.error_proto as e:
    out['wrong'] = e.args[0].decode()
p.quit()

p = poplib.POP3_SSL('127.0.0.1', tls_port, context=ctx)
p.user('alice')
p.pass_('alice-pw')
out['stat'] = list(p.stat())
out['list'] = [x.decode() for x in p.list()[1]]
out['uidl'] = [x.decode() for x in p.uidl()[1]]
out['uidl_one'] = p.uidl(2).decode()
resp, lines, octets = p.retr(1)
out['retr'] = b'\r\n'.join(lines).decode() + '\r\n'
out['top'] = [x.decode() for x in p.top(2, 1)[1]]
out['dele'] = p.dele(1).decode()
try:
    p.retr(1)
except poplib.error_proto as e:
    out['retr_deleted'] = e.args[0].decode()
out['stat_after_dele'] = list(p.stat())
p.rset()
out['stat_after_rset'] = list(p.stat())
p.dele(2)
out['noop'] = p.noop().decode()
out['quit'] = p.quit().decode()

p = poplib.POP3_SSL('127.0.0.1', tls_port, context=ctx)
p._shortcmd('AUTH PLAIN ' + __import__('base64').b64encode(b'\0alice\0alice-pw').decode())
out['stat_next_session'] = list(p.stat())
p.quit()
print(json.dumps(out, ensure_ascii=False))
