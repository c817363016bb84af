/**
 * A strict parser and serializer for the part of RFC 8941 (Structured Field Values) that HTTP
 * Message Signatures and Content-Digest use: dictionaries whose members are items or inner
 * lists, with parameters, over integers, strings, tokens, byte sequences and booleans.
 * Decimals are rejected: no field read here uses them, and a strict "no" beats a guess.
 */

export class Token {
  constructor(readonly name: string) {}
}

export class ByteSequence {
  constructor(readonly bytes: Buffer) {}
}

export type BareItem = number | string | boolean | Token | ByteSequence;
export type Parameters = Map<string, BareItem>;
export interface Item {
  value: BareItem;
  params: Parameters;
}
export interface InnerList {
  items: Item[];
  params: Parameters;
}
export type Dictionary = Map<string, Item | InnerList>;

export class StructuredFieldError extends Error {}

export function isInnerList(member: Item | InnerList): member is InnerList {
  return 'items' in member;
}

export function parseDictionary(fieldValue: string): Dictionary {
  const parser = new Parser(fieldValue.replace(/^[ \t]+|[ \t]+$/g, ''));
  const dictionary: Dictionary = new Map();
  if (parser.atEnd()) return dictionary;
  for (;;) {
    const key = parser.key();
    if (parser.peek() === '=') {
      parser.pos++;
      dictionary.set(key, parser.peek() === '(' ? parser.innerList() : parser.item());
    } else {
      dictionary.set(key, { value: true, params: parser.parameters() });
    }
    parser.skipOws();
    if (parser.atEnd()) return dictionary;
    parser.expect(',');
    parser.skipOws();
    if (parser.atEnd()) parser.fail('a trailing comma');
  }
}

class Parser {
  pos = 0;
  constructor(private readonly input: string) {}

  atEnd(): boolean {
    return this.pos >= this.input.length;
  }

  peek(): string {
    return this.input[this.pos] ?? '';
  }

  fail(what: string): never {
    throw new StructuredFieldError(`${what} at character ${this.pos + 1}`);
  }

  expect(char: string): void {
    if (this.peek() !== char) this.fail(`expected "${char}" but found ${this.atEnd() ? 'the end' : `"${this.peek()}"`}`);
    this.pos++;
  }

  skipOws(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }

  private take(pattern: RegExp): string {
    const match = pattern.exec(this.input.slice(this.pos));
    const text = match?.index === 0 ? match[0] : '';
    this.pos += text.length;
    return text;
  }

  key(): string {
    const key = this.take(/^[a-z*][a-z0-9_\-.*]*/);
    if (!key) this.fail('expected a key (lower-case letter or "*")');
    return key;
  }

  innerList(): InnerList {
    this.expect('(');
    const items: Item[] = [];
    for (;;) {
      while (this.peek() === ' ') this.pos++;
      if (this.atEnd()) this.fail('an unterminated inner list');
      if (this.peek() === ')') {
        this.pos++;
        return { items, params: this.parameters() };
      }
      items.push(this.item());
      if (!this.atEnd() && this.peek() !== ' ' && this.peek() !== ')') this.fail('expected a space or ")" in an inner list');
    }
  }

  item(): Item {
    return { value: this.bareItem(), params: this.parameters() };
  }

  parameters(): Parameters {
    const params: Parameters = new Map();
    while (this.peek() === ';') {
      this.pos++;
      while (this.peek() === ' ') this.pos++;
      const key = this.key();
      let value: BareItem = true;
      if (this.peek() === '=') {
        this.pos++;
        value = this.bareItem();
      }
      params.set(key, value);
    }
    return params;
  }

  bareItem(): BareItem {
    const char = this.peek();
    if (char === '-' || (char >= '0' && char <= '9')) return this.integer();
    if (char === '"') return this.string();
    if (char === ':') return this.byteSequence();
    if (char === '?') return this.boolean();
    if (char === '*' || /[A-Za-z]/.test(char)) return new Token(this.take(/^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*/));
    return this.fail(this.atEnd() ? 'expected a value but found the end' : `unexpected "${char}"`);
  }

  private integer(): number {
    const text = this.take(/^-?[0-9]{1,15}/);
    if (!text || text === '-') this.fail('expected digits');
    if (this.peek() === '.') this.fail('a decimal (not supported here)');
    if (/[0-9]/.test(this.peek())) this.fail('an integer longer than 15 digits');
    return Number(text);
  }

  private string(): string {
    this.expect('"');
    let value = '';
    for (;;) {
      if (this.atEnd()) this.fail('an unterminated string');
      const char = this.input[this.pos++];
      if (char === '"') return value;
      if (char === '\\') {
        const escaped = this.input[this.pos++];
        if (escaped !== '"' && escaped !== '\\') this.fail('an invalid escape in a string');
        value += escaped;
      } else if (char < ' ' || char > '~') {
        this.fail('a character outside printable ASCII in a string');
      } else {
        value += char;
      }
    }
  }

  private byteSequence(): ByteSequence {
    this.expect(':');
    const base64 = this.take(/^[A-Za-z0-9+/=]*/);
    this.expect(':');
    if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(base64)) this.fail('invalid base64 in a byte sequence');
    return new ByteSequence(Buffer.from(base64, 'base64'));
  }

  private boolean(): boolean {
    this.expect('?');
    const char = this.peek();
    if (char !== '0' && char !== '1') this.fail('expected ?0 or ?1');
    this.pos++;
    return char === '1';
  }
}

export function serializeString(value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value))
    throw new StructuredFieldError(`cannot serialize a string with characters outside printable ASCII: ${JSON.stringify(value)}`);
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

function serializeBareItem(value: BareItem): string {
  if (typeof value === 'string') return serializeString(value);
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || Math.abs(value) > 999_999_999_999_999)
      throw new StructuredFieldError(`cannot serialize ${value} as an integer`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? '?1' : '?0';
  if (value instanceof Token) return value.name;
  return `:${value.bytes.toString('base64')}:`;
}

function serializeParameters(params: Parameters): string {
  return [...params].map(([key, value]) => (value === true ? `;${key}` : `;${key}=${serializeBareItem(value)}`)).join('');
}

export function serializeInnerList(list: InnerList): string {
  const items = list.items.map((item) => serializeBareItem(item.value) + serializeParameters(item.params));
  return `(${items.join(' ')})${serializeParameters(list.params)}`;
}
