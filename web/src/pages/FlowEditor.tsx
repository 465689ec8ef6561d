import { useMemo, useState } from 'react';
import { Link } from 'wouter';
import { useQuery } from '@tanstack/react-query';
import { api, call } from '../api/client';
import {
  CONNECTIONS,
  DEVICE_TYPES,
  ROTATION_LABELS,
  WEEKDAYS,
  optionsOf,
  type Connection,
  type DeviceType,
  type Rotation,
  type Weekday,
} from '../api/enums';
import { messagesAt, newPath, newRule, type FlowDraft, type PathDraft, type RuleDraft } from '../flow-draft';
import { SAMPLE_VISITOR, describePreview, previewFlow, share, type Names, type SampleVisitor } from '../flow-preview';

type Details = Record<string, string[]> | undefined;

/** The account's offers and landers for the editor's choices (and the preview's names). */
export function useFlowTargets() {
  const offers = useQuery({
    queryKey: ['offers'],
    queryFn: () => call(api.GET('/api/v1/offers', { params: { query: { per_page: 100 } } })),
  });
  const landers = useQuery({
    queryKey: ['landers'],
    queryFn: () => call(api.GET('/api/v1/landers', { params: { query: { per_page: 100 } } })),
  });
  const offerNames = useMemo<Names>(() => new Map((offers.data?.data ?? []).map((o) => [o.id, o.name])), [offers.data]);
  const landerNames = useMemo<Names>(
    () => new Map((landers.data?.data ?? []).map((l) => [l.id, l.name])),
    [landers.data],
  );
  return { offers, landers, offerNames, landerNames };
}

/** The API's messages for one place, shown where that place is edited. */
function Problems({ messages, place }: { messages: string[]; place: string }) {
  if (messages.length === 0) return null;
  return (
    <div className="error" role="alert" data-place={place}>
      {messages.join('; ')}
    </div>
  );
}

const toggle = <T extends string>(values: readonly T[], value: T) =>
  values.includes(value) ? values.filter((v) => v !== value) : [...values, value];

function move<T>(list: readonly T[], from: number, to: number): T[] {
  const copy = [...list];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item!);
  return copy;
}

function shareOf(weights: readonly string[], i: number): string {
  const numbers = weights.map((w) => (Number(w) > 0 ? Number(w) : 0));
  const total = numbers.reduce((a, b) => a + b, 0);
  return total > 0 ? share((numbers[i]! / total) * 100) : '–';
}

function PathsEditor({
  paths,
  onChange,
  place,
  label,
  details,
  offerNames,
  landerNames,
}: {
  paths: PathDraft[];
  onChange: (paths: PathDraft[]) => void;
  place: string;
  label: string;
  details: Details;
  offerNames: Names;
  landerNames: Names;
}) {
  const setPath = (p: number, path: PathDraft) => onChange(paths.map((old, i) => (i === p ? path : old)));
  return (
    <div className="flow-paths">
      <Problems
        place={place}
        messages={messagesAt(
          details,
          place,
          paths.map((_, p) => `${place}[${p}]`),
        )}
      />
      {paths.map((path, p) => {
        const at = `${place}[${p}]`;
        const name = `${label} path ${p + 1}`;
        const setOffer = (o: number, field: 'offer_id' | 'weight', value: string) =>
          setPath(p, {
            ...path,
            offers: path.offers.map((offer, i) => (i === o ? { ...offer, [field]: value } : offer)),
          });
        return (
          <div className="flow-path" key={p} data-testid={`${at}`}>
            <div className="row">
              <div className="field">
                <label htmlFor={`${at}-weight`}>
                  Path {p + 1} weight{' '}
                  <span className="hint">
                    ={' '}
                    {shareOf(
                      paths.map((x) => x.weight),
                      p,
                    )}{' '}
                    of this rule
                  </span>
                </label>
                <input
                  id={`${at}-weight`}
                  aria-label={`${name} weight`}
                  type="number"
                  min={0}
                  step="any"
                  value={path.weight}
                  onChange={(e) => setPath(p, { ...path, weight: e.target.value })}
                />
                <Problems place={`${at}.weight`} messages={messagesAt(details, `${at}.weight`)} />
              </div>
              <div className="field">
                <label htmlFor={`${at}-lander`}>Lander</label>
                <select
                  id={`${at}-lander`}
                  aria-label={`${name} lander`}
                  value={path.lander_id}
                  onChange={(e) => setPath(p, { ...path, lander_id: e.target.value })}
                >
                  <option value="">none: straight to the offer</option>
                  {[...landerNames].map(([id, landerName]) => (
                    <option key={id} value={id}>
                      {landerName}
                    </option>
                  ))}
                </select>
                <Problems place={`${at}.lander_id`} messages={messagesAt(details, `${at}.lander_id`)} />
              </div>
              <button
                type="button"
                className="secondary small"
                disabled={paths.length <= 1}
                onClick={() => onChange(paths.filter((_, i) => i !== p))}
              >
                Remove path {p + 1}
              </button>
            </div>
            <Problems
              place={at}
              messages={messagesAt(details, at, [
                `${at}.weight`,
                `${at}.lander_id`,
                ...path.offers.map((_, o) => `${at}.offers[${o}]`),
              ])}
            />
            {path.offers.map((offer, o) => {
              const offerAt = `${at}.offers[${o}]`;
              return (
                <div className="row flow-offer" key={o}>
                  <div className="field">
                    <label htmlFor={`${offerAt}-id`}>Offer {o + 1}</label>
                    <select
                      id={`${offerAt}-id`}
                      aria-label={`${name} offer ${o + 1}`}
                      value={offer.offer_id}
                      onChange={(e) => setOffer(o, 'offer_id', e.target.value)}
                    >
                      <option value="">choose an offer</option>
                      {[...offerNames].map(([id, offerName]) => (
                        <option key={id} value={id}>
                          {offerName}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div className="field">
                    <label htmlFor={`${offerAt}-weight`}>
                      Weight{' '}
                      <span className="hint">
                        ={' '}
                        {shareOf(
                          path.offers.map((x) => x.weight),
                          o,
                        )}
                      </span>
                    </label>
                    <input
                      id={`${offerAt}-weight`}
                      aria-label={`${name} offer ${o + 1} weight`}
                      type="number"
                      min={0}
                      step="any"
                      value={offer.weight}
                      onChange={(e) => setOffer(o, 'weight', e.target.value)}
                    />
                  </div>
                  <button
                    type="button"
                    className="secondary small"
                    disabled={path.offers.length <= 1}
                    onClick={() => setPath(p, { ...path, offers: path.offers.filter((_, i) => i !== o) })}
                  >
                    Remove offer
                  </button>
                  <Problems place={offerAt} messages={messagesAt(details, offerAt)} />
                </div>
              );
            })}
            <button
              type="button"
              className="secondary small"
              aria-label={`${name}: add an offer`}
              onClick={() => setPath(p, { ...path, offers: [...path.offers, { offer_id: '', weight: '1' }] })}
            >
              Add an offer to path {p + 1}
            </button>
          </div>
        );
      })}
      <button
        type="button"
        className="secondary small"
        aria-label={`${label}: add a path`}
        onClick={() => onChange([...paths, newPath()])}
      >
        Add a path (split test)
      </button>
    </div>
  );
}

const TEXT_CONDITIONS = [
  ['country', 'Countries', 'ISO codes, e.g. DE, AT'],
  ['os', 'Operating systems', 'as clicks show them: Android, iOS, Windows'],
  ['browser', 'Browsers', 'Chrome, Safari…'],
  ['language', 'Languages', "the browser's first language: de, fr"],
  ['hour', 'Hours (UTC)', 'e.g. 9-17, 22'],
] as const;

function RuleEditor({
  rule,
  index,
  count,
  onChange,
  onMove,
  onRemove,
  details,
  offerNames,
  landerNames,
}: {
  rule: RuleDraft;
  index: number;
  count: number;
  onChange: (rule: RuleDraft) => void;
  onMove: (to: number) => void;
  onRemove: () => void;
  details: Details;
  offerNames: Names;
  landerNames: Names;
}) {
  const at = `flow.rules[${index}]`;
  const label = `Rule ${index + 1}`;
  const set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) => onChange({ ...rule, [key]: value });
  const fieldProblems = (field: string) => (
    <Problems place={`${at}.when.${field}`} messages={messagesAt(details, `${at}.when.${field}`)} />
  );
  const own = ['name', ...TEXT_CONDITIONS.map(([f]) => f), 'device', 'connection', 'params', 'weekday'];
  return (
    <fieldset className="flow-rule" data-testid={at}>
      <legend>
        {label}: {rule.name || 'unnamed'}
      </legend>
      <div className="row">
        <div className="field">
          <label htmlFor={`${at}-name`}>Name</label>
          <input
            id={`${at}-name`}
            aria-label={`${label} name`}
            maxLength={100}
            value={rule.name}
            onChange={(e) => set('name', e.target.value)}
          />
          <Problems place={`${at}.name`} messages={messagesAt(details, `${at}.name`)} />
        </div>
        <button type="button" className="secondary small" disabled={index === 0} onClick={() => onMove(index - 1)}>
          Move up
        </button>
        <button
          type="button"
          className="secondary small"
          disabled={index === count - 1}
          onClick={() => onMove(index + 1)}
        >
          Move down
        </button>
        <button type="button" className="secondary small" onClick={onRemove}>
          Remove rule
        </button>
      </div>
      <p className="hint">Conditions: every one you fill in must hold; an empty one means any.</p>
      <div className="row">
        {TEXT_CONDITIONS.map(([field, name, hint]) => (
          <div className="field" key={field}>
            <label htmlFor={`${at}-${field}`}>
              {name} <span className="hint">{hint}</span>
            </label>
            <input
              id={`${at}-${field}`}
              aria-label={`${label} ${name.toLowerCase()}`}
              value={rule[field]}
              onChange={(e) => set(field, e.target.value)}
            />
            {fieldProblems(field)}
          </div>
        ))}
        <div className="field">
          <label htmlFor={`${at}-connection`}>Connection</label>
          <select
            id={`${at}-connection`}
            aria-label={`${label} connection`}
            value={rule.connection}
            onChange={(e) => set('connection', e.target.value as '' | Connection)}
          >
            <option value="">any</option>
            {CONNECTIONS.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
          {fieldProblems('connection')}
        </div>
      </div>
      <div className="field" role="group" aria-label={`${label} devices`}>
        <span className="hint">Devices: </span>
        {DEVICE_TYPES.map((device) => (
          <label key={device} className="check">
            <input
              type="checkbox"
              checked={rule.device.includes(device)}
              onChange={() => set('device', toggle<DeviceType>(rule.device, device))}
            />
            {device}
          </label>
        ))}
        {fieldProblems('device')}
      </div>
      <div className="field" role="group" aria-label={`${label} weekdays`}>
        <span className="hint">Weekdays (UTC): </span>
        {WEEKDAYS.map((day) => (
          <label key={day} className="check">
            <input
              type="checkbox"
              checked={rule.weekday.includes(day)}
              onChange={() => set('weekday', toggle<Weekday>(rule.weekday, day))}
            />
            {day}
          </label>
        ))}
        {fieldProblems('weekday')}
      </div>
      <div className="field">
        <label htmlFor={`${at}-params`}>
          Query parameters <span className="hint">one a line: name=value, other value</span>
        </label>
        <textarea
          id={`${at}-params`}
          aria-label={`${label} query parameters`}
          rows={2}
          placeholder="utm_source=fb, ig"
          value={rule.params}
          onChange={(e) => set('params', e.target.value)}
        />
        {fieldProblems('params')}
      </div>
      <Problems
        place={at}
        messages={messagesAt(details, at, [
          `${at}.paths`,
          ...own.map((f) => (f === 'name' ? `${at}.name` : `${at}.when.${f}`)),
        ])}
      />
      <PathsEditor
        paths={rule.paths}
        onChange={(paths) => set('paths', paths)}
        place={`${at}.paths`}
        label={label}
        details={details}
        offerNames={offerNames}
        landerNames={landerNames}
      />
    </fieldset>
  );
}

function FlowPreview({ draft, offerNames, landerNames }: { draft: FlowDraft; offerNames: Names; landerNames: Names }) {
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

/** A campaign's flow: ordered rules with conditions, each with weighted paths, the default paths, rotation. */
export function FlowEditor({
  draft,
  onChange,
  details,
}: {
  draft: FlowDraft;
  onChange: (draft: FlowDraft) => void;
  details: Details;
}) {
  const { offers, landers, offerNames, landerNames } = useFlowTargets();
  const set = <K extends keyof FlowDraft>(key: K, value: FlowDraft[K]) => onChange({ ...draft, [key]: value });
  const setRule = (r: number, rule: RuleDraft) =>
    set(
      'rules',
      draft.rules.map((old, i) => (i === r ? rule : old)),
    );
  return (
    <fieldset className="flow-editor">
      <legend>Flow: offers, landers, rules and split tests</legend>
      <label className="check">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => set('enabled', e.target.checked)} />
        Send visitors through a flow instead of the single destination URL
      </label>
      {draft.enabled && (
        <>
          {(offers.isSuccess && offers.data.data.length === 0) || landers.isError || offers.isError ? (
            <p className="hint">
              A flow sends visitors to your <Link href="/offers">offers</Link> (optionally through a{' '}
              <Link href="/landers">lander</Link>): create them first.
            </p>
          ) : null}
          <Problems
            place="flow"
            messages={messagesAt(details, 'flow', [...draft.rules.map((_, r) => `flow.rules[${r}]`), 'flow.paths'])}
          />
          <div className="field">
            <label htmlFor="flow-rotation">Rotation</label>
            <select
              id="flow-rotation"
              value={draft.rotation}
              onChange={(e) => set('rotation', e.target.value as Rotation)}
            >
              {optionsOf(ROTATION_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <p className="hint">Rules are tried in order; the first that matches sends the visitor down its paths.</p>
          {draft.rules.map((rule, r) => (
            <RuleEditor
              key={r}
              rule={rule}
              index={r}
              count={draft.rules.length}
              onChange={(changed) => setRule(r, changed)}
              onMove={(to) => set('rules', move(draft.rules, r, to))}
              onRemove={() =>
                set(
                  'rules',
                  draft.rules.filter((_, i) => i !== r),
                )
              }
              details={details}
              offerNames={offerNames}
              landerNames={landerNames}
            />
          ))}
          <button
            type="button"
            className="secondary small"
            onClick={() => set('rules', [...draft.rules, newRule(`Rule ${draft.rules.length + 1}`)])}
          >
            Add a rule
          </button>
          <fieldset className="flow-rule" data-testid="flow.paths">
            <legend>Default: when no rule matches</legend>
            <PathsEditor
              paths={draft.paths}
              onChange={(paths) => set('paths', paths)}
              place="flow.paths"
              label="Default"
              details={details}
              offerNames={offerNames}
              landerNames={landerNames}
            />
          </fieldset>
          <FlowPreview draft={draft} offerNames={offerNames} landerNames={landerNames} />
        </>
      )}
    </fieldset>
  );
}
