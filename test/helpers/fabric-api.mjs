/** Plain JSON calls of a running fabric (bench/lib/server.mjs startFabric) with its dev token, for the Node-run live suites. */
export function fabricApi(fabric) {
  return async function api(method, path, body) {
    const response = await fetch(`${fabric.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${fabric.token}`, 'content-type': 'application/json' },
      ...(body ? { body: JSON.stringify(body) } : {}),
    })
    const text = await response.text()
    return { status: response.status, body: text ? JSON.parse(text) : undefined }
  }
}
