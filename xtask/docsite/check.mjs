// Checks a built docs site as a reader sees it: serves the build folder on localhost, opens every page of
// the site map (written by `cargo xtask docs` from the generator's IR) in headless Chromium, and checks
// the rendered DOM against it; then screenshots a method page and a model page.
//
//   node check.mjs <build dir> <site map JSON> <screenshot dir>
//
// Every failure is listed, then the process exits 1.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { chromium } from 'playwright-core';

const [buildDir, mapFile, shotDir] = process.argv.slice(2);
if (!buildDir || !mapFile || !shotDir) {
  console.error('usage: node check.mjs <build dir> <site map JSON> <screenshot dir>');
  process.exit(2);
}
const siteMap = JSON.parse(fs.readFileSync(mapFile, 'utf8'));

const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json' };
function resolve(urlPath) {
  const clean = path.normalize(decodeURIComponent(urlPath.split('?')[0])).replace(/^(\.\.[/\\])+/, '');
  const base = path.join(buildDir, clean);
  for (const candidate of [base, path.join(base, 'index.html'), `${base}.html`]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  return null;
}
const server = http.createServer((req, res) => {
  const file = resolve(req.url);
  if (!file) {
    res.writeHead(404).end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const origin = `http://127.0.0.1:${server.address().port}`;

// Debian's Chromium, started the way this machine's closed network needs.
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});
// The checks read the server-rendered HTML, which is what a reader's browser shows before React takes
// over; without JavaScript a page loads several times faster, which matters on a 3,000-page site. The
// screenshots use a page with JavaScript, as a reader sees it.
const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, javaScriptEnabled: false });
const shotPage = await browser.newPage({ viewport: { width: 1280, height: 900 } });
const failures = [];
let checked = 0;

// What the page shows, read from the DOM: headings, tables and the blocks after each heading.
function readPage() {
  const text = (el) => (el ? el.textContent.replace(/\u200b/g, '').trim() : null);
  const article = document.querySelector('article') ?? document.body;
  const h1 = text(article.querySelector('h1'));
  // The element after a heading that is a table, list, code block or paragraph.
  const after = (h) => {
    let el = h.nextElementSibling;
    while (el && !/^H[1-6]$/.test(el.tagName)) {
      if (el.matches('table, ul, p, div')) return el;
      el = el.nextElementSibling;
    }
    return null;
  };
  const rows = (table) =>
    table && table.tagName === 'TABLE' ? [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.cells].map(text)) : null;
  const methodTable = article.querySelector('table');
  const links = methodTable
    ? [...methodTable.querySelectorAll('a[href^="#"]')].map((a) => {
        const id = decodeURIComponent(a.getAttribute('href').slice(1));
        return { id, exists: !!document.getElementById(id) };
      })
    : [];
  const sections = {};
  for (const h2 of article.querySelectorAll('h2')) {
    const sub = {};
    let el = h2.nextElementSibling;
    while (el && el.tagName !== 'H2') {
      if (el.tagName === 'H3') {
        const next = after(el);
        sub[text(el)] = {
          tag: next ? next.tagName : null,
          text: text(next),
          rows: rows(next),
          items: next && next.tagName === 'UL' ? [...next.querySelectorAll('li')].map(text) : null,
          code: next ? text(next.querySelector('pre')) : null,
        };
      }
      el = el.nextElementSibling;
    }
    // The section's own table: the first before its first sub-heading.
    let table = h2.nextElementSibling;
    while (table && !/^H[1-6]$/.test(table.tagName) && table.tagName !== 'TABLE') table = table.nextElementSibling;
    sections[text(h2)] = { id: h2.id, sub, rows: rows(table) };
  }
  // Escaping that shows: an entity or a backslash before a brace in the prose, outside code.
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  let leaked = null;
  for (let n = walker.nextNode(); n && !leaked; n = walker.nextNode()) {
    if (n.parentElement.closest('pre, code')) continue;
    const m = /&(lt|gt|amp);|\\[{}]/.exec(n.textContent);
    if (m) leaked = n.textContent.trim().slice(0, 80);
  }
  return { h1, links, sections, leaked, sidebar: !!document.querySelector('nav[aria-label="Docs sidebar"]') };
}

function check(entry, shown) {
  const fail = (what) => failures.push(`${entry.slug}: ${what}`);
  if (shown.h1 !== entry.title) fail(`the heading is ${JSON.stringify(shown.h1)}, not ${JSON.stringify(entry.title)}`);
  if (!shown.sidebar) fail('the page has no docs sidebar');
  if (shown.leaked) fail(`escaping shows in the text: ${JSON.stringify(shown.leaked)}`);
  if (entry.operations.length) {
    const ids = shown.links.map((l) => l.id);
    const want = entry.operations.map((o) => o.anchor);
    if (JSON.stringify(ids) !== JSON.stringify(want)) fail(`the method table links to ${ids.join(', ')}, not ${want.join(', ')}`);
    for (const l of shown.links) if (!l.exists) fail(`the method table links to #${l.id}, which is not on the page`);
  }
  for (const op of entry.operations) {
    const s = shown.sections[op.heading];
    if (!s) {
      fail(`no section for ${op.heading}`);
      continue;
    }
    const at = (what) => `${op.heading}: ${what}`;
    if (s.id !== op.anchor) fail(at(`the section's anchor is #${s.id}, not #${op.anchor}`));
    const params = s.sub['Parameters'];
    if (!params) fail(at('no Parameters section'));
    else if (op.params === 0 && !/no parameters/.test(params.text ?? '')) fail(at(`parameters: ${params.text}`));
    else if (op.params > 0 && params.rows?.length !== op.params)
      fail(at(`the parameters table has ${params.rows?.length ?? 'no'} rows, not ${op.params}`));
    const ret = s.sub['Return type'];
    if (!ret || !ret.text) fail(at('no return type'));
    const responses = s.sub['Responses'];
    const codes = responses?.rows?.map((r) => r[0]);
    if (JSON.stringify(codes) !== JSON.stringify(op.statuses))
      fail(at(`the responses table lists ${JSON.stringify(codes)}, not ${JSON.stringify(op.statuses)}`));
    if (responses && responses.rows?.some((r) => r.length !== 3)) fail(at('a responses row does not have 3 cells'));
    const headers = s.sub['HTTP request headers']?.items ?? [];
    for (const want of [`Content-Type: ${op.content_type}`, `Accept: ${op.accept}`])
      if (!headers.includes(want)) fail(at(`request headers ${JSON.stringify(headers)} lack ${JSON.stringify(want)}`));
    const example = s.sub['Example'];
    if (!example?.code?.includes(`.${op.heading}(`)) fail(at('the example does not call the method'));
  }
  if (entry.table) {
    const [heading, n] = entry.table;
    const s = shown.sections[heading];
    if (!s) fail(`no ${heading} section`);
    else if (s.rows?.length !== n) fail(`the ${heading} table has ${s.rows?.length ?? 'no'} rows, not ${n}`);
  }
}

let methodShot = null;
let modelShot = null;
for (const entry of siteMap) {
  const response = await page.goto(origin + entry.slug, { waitUntil: 'domcontentloaded' });
  if (!response || response.status() !== 200) {
    failures.push(`${entry.slug}: HTTP ${response?.status()}`);
    continue;
  }
  check(entry, await page.evaluate(readPage));
  checked += 1;
  if (checked % 250 === 0) console.log(`  ${checked} of ${siteMap.length} pages checked`);
  if (!methodShot && entry.operations.length) methodShot = entry.slug;
  if (!modelShot && entry.table?.[0] === 'Properties') modelShot = entry.slug;
}

fs.mkdirSync(shotDir, { recursive: true });
// Each page whole, and as a reader first sees it: the top, and (for a method page) the first operation.
for (const [slug, name, anchor] of [
  [methodShot, 'method-page', siteMap.find((e) => e.slug === methodShot)?.operations[0]?.anchor],
  [modelShot, 'model-page', null],
]) {
  if (!slug) continue;
  await shotPage.goto(origin + slug, { waitUntil: 'load' });
  await shotPage.screenshot({ path: path.join(shotDir, `${name}.png`), fullPage: true });
  await shotPage.screenshot({ path: path.join(shotDir, `${name}-top.png`) });
  if (anchor) {
    await shotPage.goto(`${origin}${slug}#${anchor}`, { waitUntil: 'load' });
    await shotPage.screenshot({ path: path.join(shotDir, `${name}-operation.png`) });
  }
  console.log(`screenshots of ${slug}: ${shotDir}/${name}*.png`);
}
await browser.close();
server.close();

if (failures.length) {
  console.error(`${failures.length} problems on the rendered pages:`);
  for (const f of failures.slice(0, 100)) console.error(`  ${f}`);
  process.exit(1);
}
console.log(`rendered pages: ${checked} checked in Chromium against the IR, 0 problems`);
