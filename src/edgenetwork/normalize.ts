// Stage 2 (after the schema filled defaults): derived defaults and unit conversion.
import type { EdgeGroup, EdgeNetwork } from './types.ts';
import { parseQuantity } from '../util/quantity.ts';
import { GROUP_LABEL } from '../names.ts';

type Loose = Record<string, unknown>;

export function normalize(checked: Loose): EdgeNetwork {
  const spec = checked['spec'] as Loose;
  const cilium = spec['cilium'] as Loose;
  const encryption = cilium['encryption'] as Loose;
  const groups = ((spec['edgeGroups'] as Loose[] | undefined) ?? []).filter((g): g is Loose => g !== undefined);
  const anyBehindNAT = groups.some((g) => (g['link'] as Loose | undefined)?.['behindNAT'] === true);
  if (encryption['wireguardKeepalive'] === undefined) {
    encryption['wireguardKeepalive'] = encryption['type'] === 'wireguard' && anyBehindNAT ? '25s' : '0s';
  }
  spec['edgeGroups'] = groups.map((g): EdgeGroup => {
    const memoryText = String(g['memory'] ?? '0');
    const selector = g['nodeSelector'] as Record<string, string> | undefined;
    const image =
      typeof g['agentImage'] === 'string'
        ? g['agentImage'].replaceAll('{version}', String(cilium['version'] ?? ''))
        : undefined;
    const group = {
      ...g,
      ...(image !== undefined ? { agentImage: image } : {}),
      nodeSelector: selector && Object.keys(selector).length > 0 ? selector : { [GROUP_LABEL]: String(g['name']) },
      memory: parseQuantity(memoryText) ?? 0,
      memoryText,
      cpu: Math.round((parseQuantity(String(g['cpu'] ?? '1')) ?? 1) * 1000),
    };
    return group as unknown as EdgeGroup;
  });
  return checked as unknown as EdgeNetwork;
}
