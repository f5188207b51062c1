/** AST of a parsed template (mirrors text/template/parse). */

export type Node =
  | TextNode
  | ActionNode
  | IfNode
  | RangeNode
  | WithNode
  | TemplateNode
  | BreakNode
  | ContinueNode
  | ListNode
  | PipeNode
  | CommandNode
  | IdentifierNode
  | VariableNode
  | FieldNode
  | ChainNode
  | DotNode
  | NilNode
  | BoolNode
  | NumberNode
  | StringNode;

export interface Base {
  pos: number;
  /** The tree the node belongs to (for error locations). */
  tree: TreeInfo;
}
export interface TreeInfo {
  name: string;
  parseName: string;
  text: string;
}

export interface ListNode extends Base {
  type: "list";
  nodes: Node[];
}
export interface TextNode extends Base {
  type: "text";
  text: string;
}
export interface ActionNode extends Base {
  type: "action";
  line: number;
  pipe: PipeNode;
}
export interface PipeNode extends Base {
  type: "pipe";
  line: number;
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}
export interface CommandNode extends Base {
  type: "command";
  args: Node[];
}
export interface IdentifierNode extends Base {
  type: "identifier";
  name: string;
}
export interface VariableNode extends Base {
  type: "variable";
  ident: string[];
}
export interface FieldNode extends Base {
  type: "field";
  ident: string[];
}
export interface ChainNode extends Base {
  type: "chain";
  node: Node;
  fields: string[];
}
export interface DotNode extends Base {
  type: "dot";
}
export interface NilNode extends Base {
  type: "nil";
}
export interface BoolNode extends Base {
  type: "bool";
  val: boolean;
}
export interface NumberNode extends Base {
  type: "number";
  text: string;
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  int: bigint;
  float: number;
}
export interface StringNode extends Base {
  type: "string";
  quoted: string;
  text: string;
}
interface Branch extends Base {
  line: number;
  pipe: PipeNode;
  list: ListNode;
  elseList?: ListNode;
}
export interface IfNode extends Branch {
  type: "if";
}
export interface WithNode extends Branch {
  type: "with";
}
export interface RangeNode extends Branch {
  type: "range";
}
export interface TemplateNode extends Base {
  type: "template";
  line: number;
  name: string;
  pipe?: PipeNode;
}
export interface BreakNode extends Base {
  type: "break";
}
export interface ContinueNode extends Base {
  type: "continue";
}

/** Go's Node.String(), used in error contexts. */
export function nodeString(n: Node): string {
  switch (n.type) {
    case "list":
      return n.nodes.map(nodeString).join("");
    case "text":
      return JSON.stringify(n.text);
    case "action":
      return `{{${nodeString(n.pipe)}}}`;
    case "pipe": {
      let s = "";
      if (n.decl.length > 0) s = n.decl.map(nodeString).join(", ") + (n.isAssign ? " = " : " := ");
      return s + n.cmds.map(nodeString).join(" | ");
    }
    case "command":
      return n.args.map((a) => (a.type === "pipe" ? `(${nodeString(a)})` : nodeString(a))).join(" ");
    case "identifier":
      return n.name;
    case "variable":
      return n.ident.join(".");
    case "field":
      return "." + n.ident.join(".");
    case "chain": {
      const inner = n.node.type === "pipe" ? `(${nodeString(n.node)})` : nodeString(n.node);
      return inner + "." + n.fields.join(".");
    }
    case "dot":
      return ".";
    case "nil":
      return "nil";
    case "bool":
      return String(n.val);
    case "number":
      return n.text;
    case "string":
      return n.quoted;
    case "if":
    case "with":
    case "range": {
      let s = `{{${n.type} ${nodeString(n.pipe)}}}${nodeString(n.list)}`;
      if (n.elseList) s += `{{else}}${nodeString(n.elseList)}`;
      return s + "{{end}}";
    }
    case "template":
      return n.pipe ? `{{template ${JSON.stringify(n.name)} ${nodeString(n.pipe)}}}` : `{{template ${JSON.stringify(n.name)}}}`;
    case "break":
      return "{{break}}";
    case "continue":
      return "{{continue}}";
  }
}
