import { parseMailIsolated, closeDefaultMimePool } from './dist/mail/parse-isolated.js';
import { monitorEventLoopDelay } from 'node:perf_hooks';
const h = monitorEventLoopDelay({ resolution: 10 }); h.enable();
const rows = Array.from({ length: 40000 }, (_, i) => `<tr><td>cell ${i}</td><td>value ${i}</td></tr>`).join('');
const html = `<html><body><p>Please refund</p><table>${rows}</table></body></html>`;
const htmlMail = `From: a@acme.example\r\nTo: desk@desk.test\r\nSubject: Case 200001\r\nMessage-ID: <h@x>\r\nMIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${html}\r\n`;
let deep = 'Content-Type: text/plain\r\n\r\ninner\r\n';
for (let i = 0; i < 5000; i++) deep = `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n${deep}\r\n--b${i}--\r\n`;
const deepMail = `From: a@acme.example\r\nTo: desk@desk.test\r\nSubject: Case 200001\r\nMIME-Version: 1.0\r\n${deep}`;
const pdfMail = `From: a@acme.example\r\nSubject: Case 1\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nhi refund\r\n--x\r\nContent-Type: application/pdf; name=a.pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from('%PDF-1.7 hello').toString('base64')}\r\n--x--\r\n`;
for (const [name, m] of [['html', htmlMail], ['deep', deepMail], ['pdf', pdfMail]]) {
  const t = Date.now();
  const r = await parseMailIsolated(Buffer.from(m));
  console.log(name, m.length, Date.now() - t, 'ms', r.ok ? JSON.stringify({ subj: r.mail.subject, text: r.mail.text.slice(0, 40), pdfs: r.mail.parts.pdfs.map(p => [p.filename, Buffer.isBuffer(p.content), p.content.toString()]), from: r.mail.from?.value, h: r.mail.headers.get('subject') }) : r.error);
}
console.log('max loop delay ms', h.max / 1e6);
await closeDefaultMimePool();
