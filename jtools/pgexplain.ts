import pino from 'pino';
import { join } from 'node:path';
const wt = process.argv[2];
const { loadConfig } = await import(join(wt, 'src/config.ts'));
const { createContext } = await import(join(wt, 'src/context.ts'));
const { withSchemaLock, testPostgresUrl } = await import(join(wt, 'test/helpers/db.ts'));
const { sql } = await import('kysely');
const schema = `jmap_explain_${process.pid}`;
await withSchemaLock((c: any) => c.query(`CREATE SCHEMA "${schema}"`));
const ctx = await createContext(loadConfig({ POSTERN_DATA_DIR: '/tmp/jpg', POSTERN_DATABASE_URL: testPostgresUrl }), { log: pino({ level: 'silent' }), schema });
try {
  await ctx.accounts.addDomain('example.edu');
  const a = await ctx.accounts.create({ address: 'pg@example.edu', password: 'pg explain password 1' });
  const b = await ctx.accounts.create({ address: 'pg2@example.edu', password: 'pg explain password 1' });
  const inbox = await ctx.mail.specialMailbox(a.id, 'INBOX');
  const other = await ctx.mail.specialMailbox(b.id, 'INBOX');
  const db = ctx.store.db;
  for (const [box, acc, n] of [[inbox.id, a.id, 100000], [other.id, b.id, 100000]] as const) {
    await sql`insert into messages (id, mailbox_id, account_id, uid, modseq, flags, internal_date, size, blob_id, subject, from_addr, preview, thread_id)
      select ${box} || '-' || g, ${box}, ${acc}, g, g, '', 1767225600000::bigint + g::bigint * 60000, 600, md5(${box} || g) || md5(g::text), 'message ' || g, 'bench@example.edu', repeat('Some text. ', 18), 'T' || md5(${acc} || g)
      from generate_series(1, ${n}) g`.execute(db);
  }
  await sql`analyze messages`.execute(db);
  const blobs = (await sql<{ blob_id: string }>`select blob_id from messages where account_id = ${a.id} order by internal_date desc limit 50`.execute(db)).rows.map((r) => r.blob_id);
  const explain = async (title: string, q: any) => {
    const c = q.compile();
    const r = await sql.raw(`explain (analyze, buffers) ${c.sql.replace(/\$(\d+)/g, (_: string, i: string) => `'${String(c.parameters[Number(i) - 1]).replace(/'/g, "''")}'`)}`).execute(db);
    console.log('==', title, '\n' + (r.rows as any[]).map((x) => x['QUERY PLAN']).join('\n'));
  };
  await explain('Email/query page', db.selectFrom('messages').where('messages.account_id', '=', a.id).where('messages.mailbox_id', '=', inbox.id).select(['messages.blob_id', 'messages.thread_id']).orderBy(sql`messages.internal_date`, 'desc').orderBy('messages.id', 'desc').limit(75).offset(0));
  await explain('Email/get rows', db.selectFrom('messages').select(['id', 'flags', 'blob_id', 'preview']).where('account_id', '=', a.id).where('blob_id', 'in', blobs).orderBy('id'));
  await explain('state', db.selectFrom('mail_changes').select((eb: any) => eb.fn.max('seq').as('seq')).where('account_id', '=', a.id).where('kind', '=', 'Email'));
} finally {
  await ctx.close();
  await withSchemaLock((c: any) => c.query(`DROP SCHEMA "${schema}" CASCADE`));
}
