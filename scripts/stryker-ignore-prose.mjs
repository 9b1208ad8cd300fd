// A StrykerJS ignorer (stryker.config.mjs): no mutants in the `description` texts of metrics and
// strategies. They are prose for people (the API and the UI show them), not behaviour: a test that pins
// every phrase would only repeat them. Only a value made of string literals alone is skipped; a
// description computed from code is mutated as usual.
import { declareValuePlugin, PluginKind } from "@stryker-mutator/api/plugin";

/** A string literal, a template without expressions, or a `+` of those. */
function isLiteralText(node) {
  if (node.type === "StringLiteral") return true;
  if (node.type === "TemplateLiteral") return node.expressions.length === 0;
  if (node.type === "BinaryExpression" && node.operator === "+")
    return isLiteralText(node.left) && isLiteralText(node.right);
  return false;
}

export const strykerPlugins = [
  declareValuePlugin(PluginKind.Ignore, "prose", {
    shouldIgnore(path) {
      const { node } = path;
      if (node.type !== "ObjectProperty" || node.computed) return undefined;
      const key = node.key.type === "Identifier" ? node.key.name : node.key.value;
      if (key === "description" && isLiteralText(node.value))
        return "descriptions are prose for people, not behaviour";
      return undefined;
    },
  }),
];
