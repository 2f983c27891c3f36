/** `GET /health`: which Worker answers, its version, and whether D1 answers. */
export async function health(worker: string, version: string, db: D1Database): Promise<Response> {
  const started = Date.now();
  let d1: { ok: boolean; latencyMs: number; error?: string };
  try {
    await db.prepare('SELECT 1').first();
    d1 = { ok: true, latencyMs: Date.now() - started };
  } catch (error) {
    d1 = {
      ok: false,
      latencyMs: Date.now() - started,
      error: error instanceof Error ? error.message : String(error),
    };
  }
  return Response.json({ worker, version, d1 }, { status: d1.ok ? 200 : 503 });
}
