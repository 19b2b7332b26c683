# Drives the IMAP server with Python's imaplib and prints what it saw as JSON for the node test.
import base64, imaplib, json, ssl, sys

port, tls_port = int(sys.argv[1]), int(sys.argv[2])
ctx = ssl._create_unverified_context()
out = {}

def utf7(name):
    res, run = '', ''
    def flush(run):
        return '&' + base64.b64encode(run.encode('utf-16-be')).decode().rstrip('=').replace('/', ',') + '-' if run else ''
    for ch in name:
        if 0x20 <= ord(ch) <= 0x7e:
            res += flush(run) + ('&-' if ch == '&' else ch)
            run = ''
        else:
            run += ch
    return res + flush(run)

plain = imaplib.IMAP4('127.0.0.1', port)
out['plain_caps'] = list(plain.capabilities)
try:
    plain.login('alice', 'alice-pw')
    out['plain_login'] = 'accepted'
except imaplib.IMAP4.error as e:
    out['plain_login'] = str(e)
plain.starttls(ssl_context=ctx)
out['tls_caps'] = list(plain.capabilities)
try:
    plain.login('alice', 'wrong')
except imaplib.IMAP4.error as e:
    out['wrong_password'] = str(e)
try:
    plain.login('twofa', 'main-password')
except imaplib.IMAP4.error as e:
    # What an imaplib program prints: bytes that are not ASCII would show as \\x escapes.
    out['twofa'] = str(e)
plain.logout()

m = imaplib.IMAP4_SSL('127.0.0.1', tls_port, ssl_context=ctx)
m.login('alice', 'alice-pw')
folder = utf7('工作/报告 2026')
out['create'] = m.create('"%s"' % folder)[0]
out['list'] = [x.decode() for x in m.list('""', '*')[1]]
msg = ('From: 张三 <zhangsan@example.edu>\r\nTo: alice@example.edu\r\nSubject: =?UTF-8?B?5pyI5bqm5oql5ZGK?=\r\n'
       'Date: Mon, 02 Nov 2026 09:00:00 +0800\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n'
       '这是正文 body line one\r\nline two\r\n').encode()
out['append'] = m.append('"%s"' % folder, '(\\Flagged $Important)', '"02-Nov-2026 09:00:00 +0800"', msg)[1][0].decode()
m.append('"%s"' % folder, None, None, b'Subject: second\r\n\r\nsecond body\r\n')
typ, data = m.select('"%s"' % folder)
out['select'] = data[0].decode()
typ, data = m.fetch('1', '(FLAGS INTERNALDATE RFC822.SIZE)')
out['fetch_meta'] = data[0].decode()
typ, data = m.uid('FETCH', '1:*', '(BODY.PEEK[]<0.20> BODY.PEEK[TEXT]<4.8>)')
out['partial'] = [base64.b64encode(p[1]).decode() for p in data if isinstance(p, tuple)]
typ, data = m.fetch('1', '(BODY[])')
out['full_equal'] = data[0][1] == msg
out['flags_after_body'] = m.fetch('1', '(FLAGS)')[1][0].decode()
out['search_subject'] = m.search('UTF-8', 'SUBJECT', '报告'.encode())[1][0].decode()
out['search_body'] = m.uid('SEARCH', 'CHARSET', 'UTF-8', 'BODY', '正文'.encode())[1][0].decode()
out['search_keys'] = {
    'flagged': m.uid('SEARCH', None, 'FLAGGED')[1][0].decode(),
    'unseen': m.search(None, 'UNSEEN')[1][0].decode(),
    'keyword': m.search(None, 'KEYWORD', '$Important')[1][0].decode(),
    'or': m.search(None, 'OR', 'SUBJECT', 'second', 'FROM', 'zhangsan')[1][0].decode(),
    'not': m.search(None, 'NOT', 'SEEN')[1][0].decode(),
    'sentsince': m.search(None, 'SENTSINCE', '1-Nov-2026')[1][0].decode(),
    'before': m.search(None, 'BEFORE', '3-Nov-2026')[1][0].decode(),
    'larger': m.search(None, 'LARGER', '100')[1][0].decode(),
    'header': m.search(None, 'HEADER', 'To', 'alice')[1][0].decode(),
    'uidrange': m.search(None, 'UID', '2:*')[1][0].decode(),
    'text': m.search(None, 'TEXT', 'second')[1][0].decode(),
}
out['copy'] = m.uid('COPY', '1:2', 'Trash')[0]
out['copyuid'] = m.response('COPYUID')[1][0].decode()
out['move'] = m._simple_command('UID', 'MOVE', '2', 'Archive')[0]
m._simple_command('CREATE', 'Archive')
typ, data = m._simple_command('UID', 'MOVE', '2', 'Archive')
out['move_after_create'] = typ
out['move_responses'] = [x.decode() for x in m.untagged_responses.get('EXPUNGE', [])]
m.store('1', '+FLAGS', '(\\Deleted)')
out['expunge'] = [x.decode() for x in m.expunge()[1] if x]
out['status'] = m.status('Trash', '(MESSAGES UIDNEXT UNSEEN)')[1][0].decode()
out['rename'] = m.rename('"%s"' % folder, '"%s"' % utf7('归档/2026')) [0]
out['list_after'] = [x.decode() for x in m.list('""', '%')[1]]
out['lsub'] = m.lsub()[0]
out['namespace'] = m.namespace()[1][0].decode()
out['close'] = m.close()[0]
out['logout'] = m.logout()[0]
print(json.dumps(out, ensure_ascii=False))
