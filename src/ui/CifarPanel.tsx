import { useEffect, useState } from 'react';
import { FIELD_SCHEMAS } from '../core/experiments/config.ts';
import { useAppStore, useAppStoreApi } from './store-context.tsx';

/**
 * Where CIFAR-10 comes from: the browser's cache, the copy this server provides, a dropped or
 * picked `cifar-10-binary.tar.gz` (or the six .bin files), or a URL the user trusts. A URL that
 * came in a link is only filled in: nothing is downloaded until the user presses the button,
 * which names the host. Every source is checked against the official MD5s before use.
 */
export function CifarPanel() {
  const status = useAppStore((s) => s.cifar);
  const api = useAppStoreApi();
  const { loadCifar, checkCifar, forgetCifar } = api.getState();
  const savedUrl = useAppStore((s) => s.config.cifarUrl);
  const [url, setUrl] = useState(savedUrl);
  const urlOk = FIELD_SCHEMAS.cifarUrl.safeParse(url).success && url !== '';
  const loadUrl = (): void => {
    api.getState().setField('cifarUrl', url);
    loadCifar({ kind: 'url', url });
  };
  const [dragging, setDragging] = useState(false);
  useEffect(() => checkCifar(), [checkCifar]);
  const loading = status.state === 'loading';
  const files = (list: FileList | null): void => {
    if (list && list.length > 0) loadCifar({ kind: 'files', files: [...list] });
  };
  return (
    <section
      className={`panel data ${dragging ? 'dragging' : ''}`}
      aria-label="CIFAR-10 data"
      data-testid="cifar-panel"
      data-state={status.state}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        files(e.dataTransfer.files);
      }}
    >
      <strong>CIFAR-10</strong>{' '}
      <span className={status.state === 'error' ? 'error' : ''} role={status.state === 'error' ? 'alert' : undefined} data-testid="cifar-status">
        {status.message}
      </span>
      {status.progress !== undefined && <progress max={1} value={status.progress} />}
      <div className="buttons">
        <label className="file">
          Choose file(s)…
          <input type="file" multiple accept=".gz,.tgz,.tar,.bin" disabled={loading} onChange={(e) => files(e.target.files)} />
        </label>
        <input
          type="url"
          placeholder="https://…/cifar-10-binary.tar.gz (kept in the link)"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          disabled={loading}
          aria-label="CIFAR-10 URL"
        />
        <button type="button" disabled={loading || !urlOk} onClick={loadUrl} data-testid="load-cifar-url">
          {urlOk ? `Download from ${new URL(url).host}` : 'Load from URL'}
        </button>
        {status.state === 'ready' && (
          <button type="button" onClick={forgetCifar}>
            Forget cached copy
          </button>
        )}
      </div>
    </section>
  );
}
