// The dashboard's browser check: Debian's Chromium, headless, driven by playwright-core (no browser download).
//
//   node dashboard-check.mjs --url http://127.0.0.1:PORT/ --key KEY --mailbox ADDRESS --out DIR
//        [--allow-empty chart[,chart]] [--expect-state STATE] [--leave-paused yes]
//
// Prints ONE JSON line on stdout: {"ok":bool,"checks":[{name,ok,detail}],"screenshots":[paths]}.
// Exit 0 when every check passed, 1 when one failed, 2 for bad arguments.
//
// --leave-paused yes: do not resume the mailbox after the pause-mailbox check (the caller checks it through the API).
// --allow-empty: charts that may show "No data yet" (data-rendered="empty") without failing, e.g. bounce-reasons on
//   a fleet that has not bounced yet. Default: none; every chart must be drawn with data.
// --expect-state: the mailbox state GET /api/mailboxes/ADDRESS must report after the pause (e.g. paused). Default: not
//   compared, because POST .../warmup/pause pauses today's warm-up day and leaves the mailbox's state as it was (see
//   docs/api.md, "Warm-up control"); the check then relies on the action's report saying "paused".
//
// The key is never printed, and the check fails if it ever appears in a request URL.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

const WAIT_MS = 20000;
const MAILBOX_CHARTS = ['ramp', 'placement', 'auth-verdicts', 'replies'];
const BOUNCE_CHARTS = ['bounce-reasons', 'bounces-over-time'];

const checks = [];
const screenshots = [];

function check(name, ok, detail) {
  checks.push({ name, ok: !!ok, detail: detail === undefined ? '' : String(detail) });
  return !!ok;
}

function finish(code) {
  const ok = code === 0 && checks.length > 0 && checks.every((c) => c.ok);
  process.stdout.write(JSON.stringify({ ok, checks, screenshots }) + '\n');
  process.exit(code === 2 ? 2 : ok ? 0 : 1);
}

function parseArgs(argv) {
  const args = {};
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i];
    if (!name.startsWith('--') || i + 1 >= argv.length) return { error: 'unexpected argument ' + name };
    args[name.slice(2)] = argv[++i];
  }
  for (const required of ['url', 'key', 'mailbox', 'out']) {
    if (!args[required]) return { error: 'missing --' + required };
  }
  try {
    const url = new URL(args.url);
    if (!/^https?:$/.test(url.protocol)) return { error: '--url must be http or https' };
  } catch {
    return { error: '--url is not a URL' };
  }
  args.allowEmpty = new Set((args['allow-empty'] || '').split(',').filter(Boolean));
  return args;
}

const args = parseArgs(process.argv.slice(2));
if (args.error) {
  process.stderr.write(args.error + '\nusage: node dashboard-check.mjs --url URL --key KEY --mailbox ADDRESS --out DIR [--allow-empty a,b] [--expect-state STATE] [--leave-paused yes]\n');
  check('arguments', false, args.error);
  finish(2);
}

const pageUrl = new URL(args.url).href;
const apiBase = new URL('api', pageUrl).href.replace(/\/$/, '');
const mailbox = args.mailbox;
mkdirSync(args.out, { recursive: true });

// what the browser saw going wrong; the deliberate 401s (wrong key) and the health 404s ("not evaluated yet") are expected
let phase = 'start';
const consoleErrors = [];
const failedRequests = [];
const expectedUrls = new Set();
const urlsWithKey = [];
const HEALTH_READ = /\/api\/health\/(mailbox|domain|pool)\/[^/?]+$/;

function expected(response) {
  const url = response.url();
  const status = response.status();
  if (status === 401 && phase === 'bad-key') return true;
  return status === 404 && response.request().method() === 'GET' && HEALTH_READ.test(new URL(url).pathname);
}

function watch(page) {
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const where = (msg.location() && msg.location().url) || '';
    consoleErrors.push({ phase, text: msg.text(), where });
  });
  page.on('pageerror', (err) => consoleErrors.push({ phase, text: 'uncaught: ' + err.message, where: '' }));
  page.on('requestfailed', (req) => failedRequests.push(`[${phase}] ${req.method()} ${req.url()}: ${req.failure() ? req.failure().errorText : 'failed'}`));
  page.on('request', (req) => {
    if (req.url().includes(args.key)) urlsWithKey.push(req.method() + ' ' + req.url().replace(args.key, '<key>'));
  });
  page.on('response', (res) => {
    if (res.status() < 400) return;
    if (expected(res)) {
      expectedUrls.add(res.url());
      return;
    }
    failedRequests.push(`[${phase}] ${res.request().method()} ${res.url()} -> ${res.status()}`);
  });
}

async function shot(page, name) {
  const file = path.resolve(args.out, name);
  await page.screenshot({ path: file, fullPage: true });
  screenshots.push(file);
}

/** Goes to a view and waits until it has loaded: body[data-view] names it and data-ready is "true" (or "error"). */
async function openView(page, hash, view) {
  await page.evaluate((h) => { location.hash = h; }, hash);
  const handle = await page.waitForSelector(`body[data-view="${view}"][data-ready="true"], body[data-view="${view}"][data-ready="error"]`, { timeout: WAIT_MS });
  const ready = await handle.getAttribute('data-ready');
  const banner = await bannerText(page);
  return check(`view ${view} loaded`, ready === 'true' && !banner, ready === 'true' ? (banner ? 'error banner: ' + banner : hash) : 'data-ready=error: ' + banner);
}

async function bannerText(page) {
  return page.evaluate(() => {
    const b = document.getElementById('error-banner');
    return b && !b.hidden ? b.textContent.replace(/\s+/g, ' ').trim() : '';
  });
}

/** Every named chart must be drawn with data (data-rendered="true", data-points > 0), unless allowed to be empty. */
async function checkCharts(page, names) {
  for (const name of names) {
    const box = await page.$(`[data-chart="${name}"]`);
    if (!check(`chart ${name} exists`, box, box ? '' : 'no [data-chart="' + name + '"]')) continue;
    const rendered = await box.getAttribute('data-rendered');
    const points = Number(await box.getAttribute('data-points'));
    const allowed = args.allowEmpty.has(name) && rendered === 'empty';
    check(`chart ${name} rendered`, (rendered === 'true' && points > 0) || allowed,
      `data-rendered=${rendered}, data-points=${points}${allowed ? ' (empty allowed)' : ''}`);
  }
}

async function apiGet(route) {
  const res = await fetch(apiBase + route, { headers: { 'x-functions-key': args.key, accept: 'application/json' } });
  const body = await res.json().catch(() => null);
  return { status: res.status, body };
}

/**
 * Clicks pause-warmup / resume-warmup and returns the action's answer. A pause finds no running day between two
 * warm-up days ("skipped"), so it is tried again until the outcome is the wanted one or the wait runs out.
 */
async function warmupAction(page, action, wanted) {
  const deadline = Date.now() + WAIT_MS;
  let last = { status: 0, outcome: 'none', detail: 'not clicked' };
  while (Date.now() < deadline) {
    const answer = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/warmup/' + action), { timeout: WAIT_MS });
    await page.click(`#mailbox button[data-action="${action}-warmup"]`);
    const response = await answer;
    const body = await response.json().catch(() => null);
    const mine = body && Array.isArray(body.mailboxes) ? body.mailboxes.find((m) => m.mailbox.toLowerCase() === mailbox.toLowerCase()) : null;
    last = { status: response.status(), outcome: mine ? mine.outcome : 'not in the report', detail: mine ? mine.detail : JSON.stringify(body) };
    if (response.status() < 200 || response.status() >= 300 || last.outcome === wanted) break;
    await page.waitForTimeout(2000);
  }
  return last;
}

async function run(browser) {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  watch(page);

  // 1. a wrong key, entered through the settings form: the 401 must be said, with the settings panel
  phase = 'bad-key';
  await page.goto(pageUrl, { waitUntil: 'load' });
  await page.waitForSelector('#api-key', { state: 'visible' });
  const base = await page.inputValue('#api-base');
  check('default API base', base === apiBase, base);
  await page.fill('#api-key', 'wrong-key-' + Math.random().toString(36).slice(2));
  await page.click('#save-settings');
  await page.waitForSelector('#auth-error', { state: 'visible' });
  const authText = (await page.textContent('#auth-error')) || '';
  check('wrong key says 401', authText.includes('401'), authText.trim());
  check('settings shown after 401', await page.isVisible('#api-key'), '');
  await shot(page, 'bad-key.png');

  // 2. the right key: the overview loads and lists the mailbox
  await page.fill('#api-key', args.key);
  await page.click('#save-settings');
  await page.waitForSelector('body[data-view="overview"][data-ready="true"], body[data-view="overview"][data-ready="error"]');
  phase = 'overview';
  check('auth error hidden with the right key', !(await page.isVisible('#auth-error')), '');
  const banner = await bannerText(page);
  check('overview loaded', (await page.getAttribute('body', 'data-ready')) === 'true' && !banner, banner);
  const row = await page.$(`tr[data-mailbox="${mailbox}"]`);
  const rowState = row ? ((await row.$eval('[data-field="state"]', (e) => e.textContent)) || '').trim() : '';
  check('mailbox row in the overview', row && rowState, row ? 'state: ' + rowState : 'no tr[data-mailbox="' + mailbox + '"]');
  await shot(page, 'overview.png');

  // 3. the mailbox's detail and its charts
  phase = 'mailbox';
  const mailboxHash = '#/mailbox/' + encodeURIComponent(mailbox);
  await openView(page, mailboxHash, 'mailbox');
  await checkCharts(page, MAILBOX_CHARTS);
  await shot(page, 'mailbox.png');

  // 4. bounces, audits (and the two other views, which cost little)
  phase = 'bounces';
  await openView(page, '#/bounces', 'bounces');
  await checkCharts(page, BOUNCE_CHARTS);
  await shot(page, 'bounces.png');
  phase = 'audits';
  if (await openView(page, '#/audits', 'audits')) {
    const cards = await page.$$('#audits [data-audit]');
    check('audits listed', cards.length > 0, cards.length + ' domains');
  }
  await shot(page, 'audits.png');
  phase = 'suppressions';
  await openView(page, '#/suppressions', 'suppressions');
  await shot(page, 'suppressions.png');
  phase = 'events';
  await openView(page, '#/events', 'events');
  await shot(page, 'events.png');

  // 5. pause the mailbox's warm-up from its page; the page shows it, the API's report says it, then resume it
  phase = 'pause';
  await openView(page, mailboxHash, 'mailbox');
  const paused = await warmupAction(page, 'pause', 'paused');
  check('warm-up pause answered 2xx', paused.status >= 200 && paused.status < 300, 'HTTP ' + paused.status);
  check('warm-up pause outcome', paused.outcome === 'paused', paused.outcome + (paused.detail ? ': ' + paused.detail : ''));
  let shown = '';
  try {
    await page.waitForSelector('#mailbox [data-field="warmup-control"][data-outcome="paused"]', { timeout: WAIT_MS });
    await page.waitForSelector('body[data-view="mailbox"][data-ready="true"]', { timeout: WAIT_MS });
    shown = ((await page.textContent('#mailbox [data-field="warmup-control"]')) || '').trim();
  } catch (err) {
    shown = '';
  }
  check('page shows the pause', shown.includes('paused'), shown || 'no paused outcome on the page');
  await shot(page, 'paused.png');
  const read = await apiGet('/mailboxes/' + encodeURIComponent(mailbox));
  const apiState = read.body && read.body.state;
  check('API reads the mailbox', read.status === 200, 'HTTP ' + read.status + ', state ' + apiState);
  if (args['expect-state']) check('API mailbox state', apiState === args['expect-state'], `state ${apiState}, expected ${args['expect-state']}`);
  const pageState = ((await page.textContent('#mailbox [data-field="state"]')) || '').trim();
  check('page state matches the API', pageState === apiState, `page ${pageState}, API ${apiState}`);
  phase = 'resume';
  const resumed = await warmupAction(page, 'resume', 'resumed');
  check('warm-up resume answered 2xx', resumed.status >= 200 && resumed.status < 300, 'HTTP ' + resumed.status + ', ' + resumed.outcome);

  // 5b. pause the mailbox itself (all its sending): the page shows it paused, and so does the API; then resume it
  phase = 'pause-mailbox';
  await openView(page, mailboxHash, 'mailbox');
  const pauseAnswer = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/override'), { timeout: WAIT_MS });
  await page.click('#mailbox button[data-action="pause-mailbox"]');
  const pauseResponse = await pauseAnswer;
  check('mailbox pause answered 2xx', pauseResponse.status() >= 200 && pauseResponse.status() < 300, 'HTTP ' + pauseResponse.status());
  let pausedOnPage = '';
  try {
    await page.waitForFunction(() => (document.querySelector('#mailbox [data-field="state"]')?.textContent || '').trim() === 'paused', null, { timeout: WAIT_MS });
    pausedOnPage = 'paused';
  } catch (err) {
    pausedOnPage = ((await page.textContent('#mailbox [data-field="state"]')) || '').trim();
  }
  check('page shows the mailbox paused', pausedOnPage === 'paused', 'state on the page: ' + pausedOnPage);
  await shot(page, 'mailbox-paused.png');
  const afterPause = await apiGet('/mailboxes/' + encodeURIComponent(mailbox));
  check('API reads the mailbox paused', afterPause.body && afterPause.body.state === 'paused', 'HTTP ' + afterPause.status + ', state ' + (afterPause.body && afterPause.body.state));
  if (!args['leave-paused']) {
    const resumeAnswer = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/override'), { timeout: WAIT_MS });
    await page.click('#mailbox button[data-action="resume-mailbox"]');
    const resumeResponse = await resumeAnswer;
    check('mailbox resume answered 2xx', resumeResponse.status() >= 200 && resumeResponse.status() < 300, 'HTTP ' + resumeResponse.status());
  }

  // 6. nothing went wrong in the browser
  phase = 'end';
  await page.waitForTimeout(300);
  // Chromium logs every 4xx answer as "Failed to load resource"; those of expected answers are not errors. Filtered at
  // the end, as the console line and the response event may come in either order.
  const unexpected = consoleErrors
    .filter((e) => !(e.text.startsWith('Failed to load resource') && expectedUrls.has(e.where)))
    .map((e) => `[${e.phase}] ${e.text}${e.where ? ' (' + e.where + ')' : ''}`);
  check('no console errors', unexpected.length === 0, unexpected.slice(0, 10).join(' | '));
  check('no failed requests', failedRequests.length === 0, failedRequests.slice(0, 10).join(' | '));
  check('key never in a URL', urlsWithKey.length === 0, urlsWithKey.slice(0, 3).join(' | '));
  await context.close();
}

let browser;
try {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  await run(browser);
} catch (err) {
  // a wait that ran out or a crash: say where, keep the checks made so far
  check('run', false, `[${phase}] ${(err && err.message ? err.message : String(err)).split('\n')[0]}`);
} finally {
  if (browser) await browser.close().catch(() => {});
}
finish(0);
