/**
 * A small XML well-formedness checker for tests (no XML dependency in the project): tags
 * nest and close, attributes are quoted and not repeated, entities are the predefined ones or
 * numeric, one root element. Returns the element tree for assertions.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*$/;

function checkText(t: string, where: number): string {
  const bad = /&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/.exec(t);
  if (bad) throw new Error(`XML: bad entity or bare & at ${where + bad.index}`);
  if (t.includes('<')) throw new Error(`XML: bare < at ${where}`);
  return t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** Parses `text`; throws Error('XML: …') when it is not well-formed. */
export function parseXml(text: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  if (text.startsWith('<?xml')) {
    i = text.indexOf('?>');
    if (i < 0) throw new Error('XML: unterminated declaration');
    i += 2;
  }
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = text.slice(i, lt < 0 ? text.length : lt);
    if (chunk.trim()) {
      if (stack.length === 0) throw new Error(`XML: text outside the root at ${i}`);
      stack[stack.length - 1]!.text += checkText(chunk, i);
    }
    if (lt < 0) break;
    const gt = text.indexOf('>', lt);
    if (gt < 0) throw new Error(`XML: unterminated tag at ${lt}`);
    const body = text.slice(lt + 1, gt);
    i = gt + 1;
    if (body.startsWith('!--')) {
      const end = text.indexOf('-->', lt);
      if (end < 0) throw new Error('XML: unterminated comment');
      i = end + 3;
      continue;
    }
    if (body.startsWith('/')) {
      const name = body.slice(1).trim();
      const open = stack.pop();
      if (!open || open.name !== name) throw new Error(`XML: </${name}> closes <${open?.name ?? 'nothing'}> at ${lt}`);
      continue;
    }
    const selfClosing = body.endsWith('/');
    const inner = selfClosing ? body.slice(0, -1) : body;
    const m = /^([^\s]+)([\s\S]*)$/.exec(inner);
    if (!m || !NAME.test(m[1]!)) throw new Error(`XML: bad tag name at ${lt}`);
    const el: XmlElement = { name: m[1]!, attrs: {}, children: [], text: '' };
    let rest = m[2]!.trim();
    while (rest) {
      const a = /^([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*"([^"<]*)"\s*/.exec(rest);
      if (!a) throw new Error(`XML: bad attribute near "${rest.slice(0, 20)}" at ${lt}`);
      if (a[1]! in el.attrs) throw new Error(`XML: attribute ${a[1]} repeated at ${lt}`);
      el.attrs[a[1]!] = checkText(a[2]!, lt);
      rest = rest.slice(a[0].length);
    }
    if (stack.length > 0) stack[stack.length - 1]!.children.push(el);
    else if (root) throw new Error(`XML: a second root element at ${lt}`);
    else root = el;
    if (!selfClosing) stack.push(el);
  }
  if (stack.length > 0) throw new Error(`XML: <${stack[stack.length - 1]!.name}> never closed`);
  if (!root) throw new Error('XML: no root element');
  return root;
}

/** Every element below `el` (depth first) that `pred` accepts. */
export function findAll(el: XmlElement, pred: (e: XmlElement) => boolean): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    for (const c of e.children) {
      if (pred(c)) out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}
