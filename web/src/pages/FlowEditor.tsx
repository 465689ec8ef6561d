import { Link } from 'wouter';
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
import { messagesAt, newRule, type FlowDraft, type RuleDraft } from '../flow-draft';
import type { Names } from '../flow-preview';
import { useFlowTargets } from './flow-targets';
import { PathsEditor } from './FlowPaths';
import { FlowPreview } from './FlowPreview';
import { Problems, type Details } from './FlowProblems';

const toggle = <T extends string>(values: readonly T[], value: T) =>
  values.includes(value) ? values.filter((v) => v !== value) : [...values, value];

function move<T>(list: readonly T[], from: number, to: number): T[] {
  const copy = [...list];
  const [item] = copy.splice(from, 1);
  copy.splice(to, 0, item!);
  return copy;
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
