import { describe, expect, it } from "@jest/globals";
import { parseGoFloat } from "../../../src/go/index.js";

describe("parseGoFloat (strconv.ParseFloat(s, 64))", () => {
  it.each<{ input: string; value: number }>`
    input                       | value
    ${"-62"}                    | ${-62}
    ${"+5"}                     | ${5}
    ${"01"}                     | ${1}
    ${"1."}                     | ${1}
    ${".5"}                     | ${0.5}
    ${"1e3"}                    | ${1000}
    ${"1_000"}                  | ${1000}
    ${"0x1p4"}                  | ${16}
    ${"0x_1p4"}                 | ${16}
    ${"0X1P-2"}                 | ${0.25}
    ${"Inf"}                    | ${Infinity}
    ${"-inf"}                   | ${-Infinity}
    ${"+Infinity"}              | ${Infinity}
    ${"1e-400"}                 | ${0}
    ${"0x1p-1074"}              | ${5e-324}
    ${"1.7976931348623157e308"} | ${1.7976931348623157e308}
  `("$input -> $value", ({ input, value }: { input: string; value: number }) => {
    expect(parseGoFloat(input)).toBe(value);
  });

  it("accepts NaN in any case but without a sign", () => {
    expect(parseGoFloat("NaN")).toBeNaN();
    expect(parseGoFloat("nan")).toBeNaN();
    expect(parseGoFloat("+nan")).toBeNull();
  });

  it.each(["", "0x10", "0b101", "0o17", "1__0", "_1", "1_", "1_.5", " 1", "1 ", "1.0.0", "v1", "1e400", "-1e400", "infin", "1e", "0x", "0x1.8"])(
    "rejects %j",
    (input) => {
      expect(parseGoFloat(input)).toBeNull();
    },
  );
});
