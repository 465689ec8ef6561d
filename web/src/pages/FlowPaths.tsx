import { messagesAt, newPath, type PathDraft } from '../flow-draft';
import { share, type Names } from '../flow-preview';
import { Problems, type Details } from './FlowProblems';

function shareOf(weights: readonly string[], i: number): string {
  const numbers = weights.map((w) => (Number(w) > 0 ? Number(w) : 0));
  const total = numbers.reduce((a, b) => a + b, 0);
  return total > 0 ? share((numbers[i]! / total) * 100) : '–';
}

/** A rule's (or the default's) weighted paths, each straight to offers or through a lander. */
export function PathsEditor({
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
