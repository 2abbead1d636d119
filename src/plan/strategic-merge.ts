// Kubernetes strategic merge patch for the pod-spec fields kec patches
// (https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/):
// maps merge recursively, null deletes, lists with a patchMergeKey merge item by item
// (an item with `$patch: delete` removes its match), other lists are replaced.

/** patchMergeKey of list fields, by field name (k8s.io/api core/v1 types). */
const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  ports: 'containerPort',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export function strategicMerge(base: unknown, patch: unknown, field = ''): unknown {
  if (isObj(base) && isObj(patch)) {
    const out: Obj = { ...base };
    for (const [k, v] of Object.entries(patch)) {
      if (k === '$patch') continue;
      if (v === null) delete out[k];
      else out[k] = k in base ? strategicMerge(base[k], v, k) : strip(v);
    }
    return out;
  }
  const key = MERGE_KEYS[field];
  if (key && Array.isArray(base) && Array.isArray(patch)) {
    const out = [...base];
    for (const item of patch) {
      if (!isObj(item)) continue;
      const i = out.findIndex((b) => isObj(b) && b[key] === item[key]);
      if (item['$patch'] === 'delete') {
        if (i >= 0) out.splice(i, 1);
      } else if (i >= 0) out[i] = strategicMerge(out[i], item, '');
      else out.push(strip(item));
    }
    return out;
  }
  return strip(patch);
}

/** Removes patch directives from a value that is inserted as a whole. */
function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => !(isObj(x) && x['$patch'] === 'delete')).map(strip);
  if (isObj(v))
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => k !== '$patch')
        .map(([k, x]) => [k, strip(x)]),
    );
  return v;
}
