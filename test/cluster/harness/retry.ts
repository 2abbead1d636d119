// Retries of the harness's own API calls, as client-go does them: a 429 or 503 answer that
// carries Retry-After (the apiserver sends one while a storage cache is (re)initializing, e.g.
// right after CRDs are installed) is sent again after that many seconds, at most MAX_RETRIES
// times. Other answers, and 429/503 without Retry-After, go to the caller unchanged.
import { setTimeout as sleep } from 'node:timers/promises';
import * as k8s from '@kubernetes/client-node';

export const MAX_RETRIES = 10;
const MAX_WAIT_S = 10;

/** Seconds to wait before retrying this answer, or undefined when it is not retried. */
export function retryAfterSeconds(status: number, headers: Record<string, string>): number | undefined {
  if (status !== 429 && status !== 503) return undefined;
  const raw = headers['retry-after'];
  if (raw === undefined || !/^\d+$/.test(raw.trim())) return undefined;
  return Math.min(Number(raw.trim()), MAX_WAIT_S);
}

class RetryingHttpLibrary implements k8s.PromiseHttpLibrary {
  private readonly inner = new k8s.IsomorphicFetchHttpLibrary();

  async send(request: k8s.RequestContext): Promise<k8s.ResponseContext> {
    for (let attempt = 0; ; attempt++) {
      const resp = await this.inner.send(request).toPromise();
      const wait = retryAfterSeconds(resp.httpStatusCode, resp.headers);
      if (wait === undefined || attempt >= MAX_RETRIES || request.getSignal()?.aborted === true) return resp;
      await resp.body.text().catch(() => '');
      await sleep(wait * 1000);
    }
  }
}

/** KubeConfig whose API clients (makeApiClient, KubernetesObjectApi) retry as above. */
export class RetryingKubeConfig extends k8s.KubeConfig {
  override makeApiClient<T extends k8s.ApiType>(apiClientType: k8s.ApiConstructor<T>): T {
    const cluster = this.getCurrentCluster();
    if (!cluster) throw new Error('No active cluster!');
    const config = k8s.createConfiguration({
      baseServer: new k8s.ServerConfiguration(cluster.server, {}),
      authMethods: { default: this },
      httpApi: k8s.wrapHttpLibrary(new RetryingHttpLibrary()),
    });
    return new apiClientType(config);
  }
}
