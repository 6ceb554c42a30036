// Closing the tests' loopback servers for good, whatever the browser left open.
//
// `server.close()` waits for every socket the server accepted to end. `closeAllConnections()`
// ends only the HTTP connections the server still manages: a CONNECT tunnel (the
// proxies), an upgraded socket or one a browser process keeps half-open after it was
// killed is no longer the server's to close, and the close then waits for ever (a test
// file that never exits: on CI, a run past its time limit).

/**
 * Track every socket `server` (node:http, node:https or node:net) accepts, from now on,
 * and give back `close()`: stop listening, destroy every socket still open, and resolve
 * once the server has closed. Call before `listen`. Resolves, never rejects (a server
 * that was never listening is closed already).
 */
export function closer(server) {
  const sockets = new Set();
  server.on('connection', (socket) => {
    sockets.add(socket);
    // A browser closing mid-request resets its sockets: not an error of the test.
    socket.on('error', () => {});
    socket.once('close', () => sockets.delete(socket));
  });
  return () => new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections?.();
    for (const s of sockets) s.destroy();
    sockets.clear();
  });
}
