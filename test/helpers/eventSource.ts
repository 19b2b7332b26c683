// A WHATWG-style EventSource over fetch that sends an Authorization header: Node has no global
// EventSource, and a JMAP client with a client-specific password needs the header (RFC 8620 §7.3).

export function eventSourceWithAuth(authorization: string) {
  return class AuthEventSource extends EventTarget {
    readyState = 0;
    readonly url: string;
    readonly #abort = new AbortController();

    constructor(url: string | URL) {
      super();
      this.url = String(url);
      void this.#run();
    }

    async #run(): Promise<void> {
      try {
        const res = await fetch(this.url, { headers: { authorization, accept: 'text/event-stream' }, signal: this.#abort.signal });
        if (!res.ok || !res.body) throw new Error(`EventSource HTTP ${res.status}`);
        this.readyState = 1;
        this.dispatchEvent(new Event('open'));
        const decoder = new TextDecoder();
        let buffer = '';
        for await (const chunk of res.body) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let type = 'message';
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('event:')) type = line.slice(6).trim();
              else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
            }
            if (data.length) this.dispatchEvent(new MessageEvent(type, { data: data.join('\n') }));
          }
        }
      } catch {
        // Closed by us, or the server went away.
      }
      this.readyState = 2;
      this.dispatchEvent(new Event('error'));
    }

    close(): void {
      this.readyState = 2;
      this.#abort.abort();
    }
  };
}
