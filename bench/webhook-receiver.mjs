// A webhook endpoint for the events bench, in a process of its own: answers 200 at once,
// counts deliveries, and, for cancellations, keeps the time from the event to its arrival.
// The parent asks over IPC: 'count', 'latencies', 'reset'.
import { Buffer } from 'node:buffer';
import http from 'node:http';
import process from 'node:process';

let received = 0;
let latencies = [];
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const arrived = Date.now();
    res.writeHead(200).end();
    received++;
    const event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if (event.type === 'order.status_changed' && event.data?.to === 'cancelled') latencies.push(arrived - Date.parse(event.occurredAt));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', (m) => {
  if (m === 'count') process.send({ received });
  else if (m === 'latencies') process.send({ latencies });
  else if (m === 'reset') {
    received = 0;
    latencies = [];
    process.send({ reset: true });
  } else if (m === 'stop') server.close(() => process.exit(0));
});
