import { useState } from 'react';
import { CONNECTIONS, DEVICE_TYPES, WEEKDAYS, type Connection, type DeviceType, type Weekday } from '../api/enums';
import type { FlowDraft } from '../flow-draft';
import { SAMPLE_VISITOR, describePreview, previewFlow, type Names, type SampleVisitor } from '../flow-preview';

/** Pick a visitor, read where the flow being edited sends them (flow-preview.ts: worked out here, not asked of the server). */
export function FlowPreview({
  draft,
  offerNames,
  landerNames,
}: {
  draft: FlowDraft;
  offerNames: Names;
  landerNames: Names;
}) {
  const [visitor, setVisitor] = useState<SampleVisitor>(SAMPLE_VISITOR);
  const set = <K extends keyof SampleVisitor>(key: K, value: SampleVisitor[K]) =>
    setVisitor((v) => ({ ...v, [key]: value }));
  const text = describePreview(previewFlow(draft, visitor, offerNames, landerNames), visitor);
  const input = (key: 'country' | 'os' | 'browser' | 'language' | 'query', name: string) => (
    <div className="field">
      <label htmlFor={`preview-${key}`}>{name}</label>
      <input
        id={`preview-${key}`}
        aria-label={`Preview ${name.toLowerCase()}`}
        value={visitor[key]}
        onChange={(e) => set(key, e.target.value)}
      />
    </div>
  );
  return (
    <section className="panel flow-preview" aria-labelledby="preview-title">
      <h3 id="preview-title" style={{ marginTop: 0 }}>
        Preview{' '}
        <span className="hint">
          where a visitor would go, worked out here from the flow as edited (unsaved changes included)
        </span>
      </h3>
      <div className="row">
        {input('country', 'Country')}
        <div className="field">
          <label htmlFor="preview-device">Device</label>
          <select
            id="preview-device"
            aria-label="Preview device"
            value={visitor.device}
            onChange={(e) => set('device', e.target.value as DeviceType)}
          >
            {DEVICE_TYPES.map((d) => (
              <option key={d}>{d}</option>
            ))}
          </select>
        </div>
        {input('os', 'OS')}
        {input('browser', 'Browser')}
        {input('language', 'Language')}
        <div className="field">
          <label htmlFor="preview-connection">Connection</label>
          <select
            id="preview-connection"
            aria-label="Preview connection"
            value={visitor.connection}
            onChange={(e) => set('connection', e.target.value as Connection)}
          >
            {CONNECTIONS.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="preview-weekday">Weekday</label>
          <select
            id="preview-weekday"
            aria-label="Preview weekday"
            value={visitor.weekday}
            onChange={(e) => set('weekday', e.target.value as Weekday)}
          >
            {WEEKDAYS.map((d) => (
              <option key={d}>{d}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="preview-hour">Hour (UTC)</label>
          <input
            id="preview-hour"
            aria-label="Preview hour"
            type="number"
            min={0}
            max={23}
            value={visitor.hour}
            onChange={(e) => set('hour', Number(e.target.value))}
          />
        </div>
        {input('query', 'Query string')}
      </div>
      <p data-testid="flow-preview" aria-live="polite">
        {text}
      </p>
      {draft.rotation === 'auto' && (
        <p className="hint">
          Shares are the weights you set; auto rotation moves them toward the path with the better EPC as results come
          in, never below 10 % a path.
        </p>
      )}
    </section>
  );
}
