export type Details = Record<string, string[]> | undefined;

/** The API's messages for one place, shown where that place is edited. */
export function Problems({ messages, place }: { messages: string[]; place: string }) {
  if (messages.length === 0) return null;
  return (
    <div className="error" role="alert" data-place={place}>
      {messages.join('; ')}
    </div>
  );
}
