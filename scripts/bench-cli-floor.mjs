// The floor of scenario (f)'s `strop eval`: a bare Node process that makes the same calls and nothing
// else (no task file, dataset, database, prompt rendering or report), over node:http with keep-alive
// sockets as Strop's own fetch does, at the same concurrency. What it takes is what Node, this machine
// and the server's latency cost by themselves; `strop eval` over it is what Strop costs.
//   node scripts/bench-cli-floor.mjs <baseURL> <calls> <concurrency>
import http from "node:http";

const [baseURL, calls, concurrency] = process.argv.slice(2);
const url = new URL(`${baseURL}/chat/completions`);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(concurrency) });

function call(i) {
  const body = JSON.stringify({
    model: "default",
    messages: [{ role: "user", content: `Review ${i}` }],
  });
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: "POST",
        agent,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (response) => {
        const chunks = [];
        response.on("data", (chunk) => chunks.push(chunk));
        response.on("end", () => {
          const answer = JSON.parse(Buffer.concat(chunks).toString());
          if (response.statusCode !== 200) reject(new Error(`call ${i}: HTTP ${response.statusCode}`));
          else resolve(answer.choices[0].message.content);
        });
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

let next = 0;
const worker = async () => {
  while (next < Number(calls)) await call(next++);
};
await Promise.all(Array.from({ length: Number(concurrency) }, worker));
agent.destroy();
