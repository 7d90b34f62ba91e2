/** @module The phone inbox page: every simulated handset's messages, live over SSE. */
import { TEST_NUMBERS } from '../../simulator/scenarios.js'

export function simulatorPage(): string {
  const rows = TEST_NUMBERS.map(
    (t) =>
      `<tr><td class="num"><code>${t.number}</code></td><td class="sc">${t.scenario}</td><td class="what">${t.description}</td></tr>`,
  ).join('')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>verigate carrier simulator: phone inbox</title>
<style>
 body{font:15px/1.45 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1c1e21}
 header{background:#1d2b3a;color:#fff;padding:14px 20px} h1{font-size:18px;margin:0}
 main{display:grid;grid-template-columns:minmax(0,420px) minmax(0,1fr);gap:20px;padding:20px}
 @media (max-width:760px){main{grid-template-columns:minmax(0,1fr);padding:12px}}
 .phone{background:#fff;border-radius:18px;box-shadow:0 2px 10px #0002;padding:14px;min-height:300px}
 .msg{background:#e9f1ff;border-radius:12px;padding:10px 12px;margin:10px 0}
 .meta{font-size:12px;color:#555;display:flex;justify-content:space-between;gap:8px}
 .body{white-space:pre-wrap;overflow-wrap:anywhere;margin-top:4px}
 .meta span{overflow-wrap:anywhere;min-width:0}
 .meta time{white-space:nowrap;flex:none}
 label{font-weight:600} input{font:inherit;padding:6px 8px;width:100%;box-sizing:border-box;margin:6px 0 10px}
 table{border-collapse:collapse;background:#fff;width:100%} td,th{border-bottom:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}
 .empty{color:#595959}
 /* A phone is too narrow for three columns: each test number becomes a card of its own. */
 @media (max-width:600px){table,tbody,tr,td{display:block}thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
  tr{border-bottom:1px solid #ddd;padding:8px}td{border:none;padding:0}td.num,td.sc{display:inline-block;margin-inline-end:8px}td.sc{color:#555}td.what{margin-top:2px}}
</style></head><body>
<header><h1>verigate carrier simulator: phone inbox</h1></header>
<main>
 <section class="phone" aria-labelledby="inbox-title">
  <h2 id="inbox-title" style="font-size:16px;margin-top:0">Inbox</h2>
  <label for="to">Show messages for number (empty = all phones)</label>
  <input id="to" inputmode="tel" placeholder="+447700900001" autocomplete="off">
  <div id="messages" aria-live="polite"><p class="empty">No messages yet.</p></div>
 </section>
 <section>
  <h2 style="font-size:16px;margin-top:0">Test numbers</h2>
  <table><thead><tr><th>Number</th><th>Scenario</th><th>What happens</th></tr></thead><tbody>${rows}</tbody></table>
 </section>
</main>
<script>
const list=document.getElementById('messages'),input=document.getElementById('to');let source;
const clock=new Intl.DateTimeFormat(document.documentElement.lang,{timeStyle:'medium'});
function render(items){list.replaceChildren();if(!items.length){const p=document.createElement('p');p.className='empty';p.textContent='No messages yet.';list.append(p);return}
 for(const m of items){const d=document.createElement('article');d.className='msg';const meta=document.createElement('div');meta.className='meta';
 const a=document.createElement('span');a.textContent=m.channel.toUpperCase()+' from '+m.from+' to '+m.to;const t=document.createElement('time');t.dateTime=m.received_at;t.textContent=clock.format(new Date(m.received_at));
 meta.append(a,t);const b=document.createElement('div');b.className='body';b.dir='auto';b.textContent=(m.subject?m.subject+'\\n':'')+m.body;d.append(meta,b);list.append(d)}}
let items=[];
async function load(){const to=input.value.trim();const q=to?'?to='+encodeURIComponent(to):'';const r=await fetch('/v1/simulator/messages'+q);items=(await r.json()).data||[];render(items);
 if(source)source.close();source=new EventSource('/v1/simulator/messages/stream'+q);source.addEventListener('message',e=>{items.unshift(JSON.parse(e.data));render(items.slice(0,50))})}
input.addEventListener('change',load);load();
</script></body></html>`
}
