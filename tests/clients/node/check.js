// Drives node-postgres against askgres and prints one JSON object of what it saw;
// tests/clients/test_node_pg.py runs it (node check.js HOST PORT TABLE) and asserts on it.
'use strict';
const { Client, Pool } = require('pg');

async function main() {
  const [host, port, table] = process.argv.slice(2);
  const config = { host, port: Number(port), user: 'askgres', database: 'askgres' };
  const out = {};
  const client = new Client(config);
  await client.connect();
  try {
    const simple = await client.query('SELECT count(*)::int AS n, min(id) AS lo FROM customers');
    out.simple = { n: simple.rows[0].n, lo: simple.rows[0].lo, command: simple.command, fields: simple.fields.map(f => f.name) };

    const param = await client.query('SELECT id, name FROM customers WHERE id = ANY($1::int[]) ORDER BY id', [[2, 4, 6]]);
    out.param = param.rows.map(r => r.id);

    const named = { name: 'by-country', text: 'SELECT count(*)::int AS n FROM customers WHERE country = $1', values: [] };
    const country = (await client.query('SELECT country FROM customers ORDER BY id LIMIT 1')).rows[0].country;
    out.prepared = [];
    for (let i = 0; i < 3; i++) {
      out.prepared.push((await client.query({ ...named, values: [country] })).rows[0].n);
    }
    out.prepared_direct = (await client.query(`SELECT count(*)::int AS n FROM customers WHERE country = '${country.replace(/'/g, "''")}'`)).rows[0].n;

    const types = await client.query(
      "SELECT 1.5::float8 AS f, 12.30::numeric(10,2) AS num, true AS b, DATE '2024-05-06' AS d, " +
      "TIMESTAMPTZ '2024-05-06 07:08:09+00' AS ts, ARRAY['a','b'] AS arr, NULL::text AS nothing");
    const t = types.rows[0];
    out.types = { f: t.f, num: t.num, b: t.b, ts: t.ts.toISOString(), arr: t.arr, nothing: t.nothing,
                  d: [t.d.getFullYear(), t.d.getMonth() + 1, t.d.getDate()] };

    await client.query(`CREATE TABLE ${table} (id int, label text)`);
    await client.query('BEGIN');
    for (let i = 0; i < 20; i++) await client.query(`INSERT INTO ${table} VALUES ($1, $2)`, [i, 'l' + i]);
    await client.query('ROLLBACK');
    await client.query(`INSERT INTO ${table} VALUES ($1, $2), ($3, $4)`, [1, 'one', 2, null]);
    out.tx = (await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;

    out.errors = [];
    for (const sql of ['SELEC 1', 'SELECT * FROM no_such_table', 'SELECT nope FROM customers', 'SELECT 1/0']) {
      try {
        await client.query(sql);
        out.errors.push(null);
      } catch (e) {
        out.errors.push({ code: e.code, severity: e.severity, position: e.position || null });
      }
    }
    out.after_errors = (await client.query('SELECT 5 AS v')).rows[0].v;
    const many = await client.query('SELECT i FROM range(100000) t(i)');
    out.many = many.rowCount;
  } finally {
    await client.end();
  }

  const pool = new Pool({ ...config, max: 8 });
  try {
    const results = await Promise.all(Array.from({ length: 32 }, (_, i) => pool.query('SELECT $1::int * 3 AS v', [i])));
    out.pool = results.map(r => r.rows[0].v);
    out.pool_total = pool.totalCount;
  } finally {
    await pool.end();
  }
  console.log(JSON.stringify(out));
}

main().catch(e => { console.error(e); process.exit(1); });
