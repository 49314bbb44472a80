// Runs every benchmark of bench/ (npm run bench).
await import('./calendar-due.bench.js')
