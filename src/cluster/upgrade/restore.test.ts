import { describe, expect, it } from 'vitest';
import { ApiError } from '../errors.ts';
import type { Obj, ObjectReader, ObjectRef, ObjectWriter } from '../types.ts';
import { restoreDaemonSet } from './upgrade.ts';

const REF: ObjectRef = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  name: 'cilium-edge-site-b',
  namespace: 'kube-system',
};

/** A DaemonSet whose controller bumps the resourceVersion `racing` times between kec's read and write. */
function racingApi(racing: number): { api: ObjectReader & ObjectWriter; written: Obj[] } {
  let rv = 10;
  let races = racing;
  const written: Obj[] = [];
  const api = {
    get: async () => ({ ...REF, metadata: { name: REF.name, resourceVersion: String(rv) } }) as Obj,
    list: async () => [],
    replace: async (o: Obj) => {
      if (races > 0) {
        races -= 1;
        rv += 1; // the status update that landed in between
        throw new ApiError(
          409,
          'the object has been modified; please apply your changes to the latest version',
          'Conflict',
        );
      }
      if (o.metadata?.resourceVersion !== String(rv)) throw new ApiError(409, 'stale', 'Conflict');
      written.push(o);
      return o;
    },
    apply: async (o: Obj) => o,
    mergePatch: async (_r: ObjectRef, o: Obj) => o,
    create: async (o: Obj) => o,
    delete: async () => undefined,
  } as unknown as ObjectReader & ObjectWriter;
  return { api, written };
}

describe('restoreDaemonSet', () => {
  const previous = {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: REF.name, namespace: 'kube-system' },
    spec: { x: 1 },
  } as Obj;

  it('re-reads and retries when the DaemonSet controller wrote in between (409)', async () => {
    const { api, written } = racingApi(2);
    await restoreDaemonSet(api, REF, previous);
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ spec: { x: 1 }, metadata: { resourceVersion: '12' } });
  });

  it('gives up with the conflict after a bounded number of attempts', async () => {
    const { api, written } = racingApi(100);
    await expect(restoreDaemonSet(api, REF, previous)).rejects.toMatchObject({ status: 409 });
    expect(written).toHaveLength(0);
  });
});
