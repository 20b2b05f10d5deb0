import { deepStrictEqual } from "node:assert/strict";
import { rewriteDependencyLines } from "./_leger_run_dependency_lines.ts";

const OPTIONS = {
  unitFiles: new Set(["web.container", "llm.network", "data.volume"]),
  services: new Set([
    "web.service",
    "llm-network.service",
    "data-volume.service",
  ]),
};

Deno.test("rewriteDependencyLines() rewrites a quadlet file name plus .service when the file is in the deployment", async (t) => {
  const cases: {
    name: string;
    text: string;
    options?: typeof OPTIONS;
    expected: string;
    lines: [number, string, string][];
  }[] = [
    {
      name: "Requires= and After=",
      text:
        "[Unit]\nAfter=network-online.target\nAfter=llm.network.service\nRequires=llm.network.service\n",
      expected:
        "[Unit]\nAfter=network-online.target\nAfter=llm.network\nRequires=llm.network\n",
      lines: [
        [3, "After=llm.network.service", "After=llm.network"],
        [4, "Requires=llm.network.service", "Requires=llm.network"],
      ],
    },
    {
      name: "one word among others, spacing kept",
      text: "[Unit]\nWants=a.service  data.volume.service\tb.target\n",
      expected: "[Unit]\nWants=a.service  data.volume\tb.target\n",
      lines: [[
        2,
        "Wants=a.service  data.volume.service\tb.target",
        "Wants=a.service  data.volume\tb.target",
      ]],
    },
    {
      name: "CRLF line endings and no final newline",
      text: "[Unit]\r\nBindsTo=llm.network.service\r\n[Container]\r\nImage=x",
      expected: "[Unit]\r\nBindsTo=llm.network\r\n[Container]\r\nImage=x",
      lines: [[2, "BindsTo=llm.network.service", "BindsTo=llm.network"]],
    },
    {
      name: "a quoted word",
      text: '[Unit]\nAfter="llm.network.service"\n',
      expected: '[Unit]\nAfter="llm.network"\n',
      lines: [[2, 'After="llm.network.service"', 'After="llm.network"']],
    },
    {
      name: "a continued entry, line by line",
      text:
        "[Unit]\nAfter=a.target \\\n  # a comment llm.network.service\n  llm.network.service\n",
      expected:
        "[Unit]\nAfter=a.target \\\n  # a comment llm.network.service\n  llm.network\n",
      lines: [[4, "  llm.network.service", "  llm.network"]],
    },
    {
      name: "nothing when the quadlet file is not in the deployment",
      text: "[Unit]\nRequires=other.network.service\n",
      expected: "[Unit]\nRequires=other.network.service\n",
      lines: [],
    },
    {
      name: "nothing when the word is a real service name (ServiceName=)",
      text: "[Unit]\nRequires=llm.network.service\n",
      options: {
        ...OPTIONS,
        services: new Set([...OPTIONS.services, "llm.network.service"]),
      },
      expected: "[Unit]\nRequires=llm.network.service\n",
      lines: [],
    },
    {
      name: "nothing outside [Unit] or in keys Podman does not translate",
      text:
        "[Unit]\nDescription=needs llm.network.service\n[Install]\nWantedBy=llm.network.service\n",
      expected:
        "[Unit]\nDescription=needs llm.network.service\n[Install]\nWantedBy=llm.network.service\n",
      lines: [],
    },
    {
      name: "nothing in a file that does not parse",
      text: "[Unit]\nRequires llm.network.service\n",
      expected: "[Unit]\nRequires llm.network.service\n",
      lines: [],
    },
  ];
  for (const { name, text, options = OPTIONS, expected, lines } of cases) {
    await t.step(name, () => {
      const result = rewriteDependencyLines(text, "web.container", options);
      deepStrictEqual(result, {
        text: expected,
        changes: lines.map(([line, before, after]) => ({
          file: "web.container",
          line,
          before,
          after,
        })),
      });
    });
  }
});
