/**
 * leger.spec, checked with the RPM tools: `rpmspec -P` parses it and it
 * installs what the package promises, `rpmlint` finds no error in it,
 * `rpmbuild -bs` makes the source RPM from a `git archive` tarball of the
 * working tree, and `rpmbuild -bb` runs its %build, %install and %check: with
 * a stand-in for `deno task compile` everywhere, and end to end, with the
 * real `deno compile`, where a denort runtime is available. Also: the newest
 * %changelog entry is for the version packaged, a build without systemd's
 * RPM macros stops in %prep (before compiling) saying which package to
 * install, and each scriptlet of the RPM holds its own commentary only.
 *
 * CI runs on Debian, whose rpm has no systemd macros (they come with Fedora's
 * systemd-rpm-macros): the rpmspec and rpmbuild commands here load
 * `tests/testdata/rpm/macros.systemd-standin`, which defines the unit folders
 * and makes each %systemd_* scriptlet macro show its name and units (but for
 * the test of a build without them; rpmlint has no way to load it, and reads
 * the spec without them).
 *
 * The tests are ignored, with the reason in their names, where rpm, rpmspec,
 * rpmbuild, rpm2cpio (Debian's rpm packages), rpmlint, cpio or git is
 * missing; `.ci/run` installs them and sets `LEGER_PACKAGING_TOOLS=required`,
 * so that there they fail instead. The end-to-end `rpmbuild -bb` is ignored,
 * with `deno task compile`'s reason, where no denort runtime is available.
 *
 * @module
 */
import { onPath } from "./_on_path.ts";
import { deepStrictEqual, match, ok, strictEqual } from "node:assert/strict";
import denoJson from "../deno.json" with { type: "json" };
import { SHELLS } from "../cli/completion/static_values.ts";
import {
  CompileError,
  EXIT_SKIPPED,
  findDenorts,
  SUPPORTED_TARGETS,
  type Target,
} from "../tools/compile.ts";
import { permissionFlags } from "../tools/permission_flags.ts";
import { DENO_DIR, ROOT, runLeger, TESTDATA } from "./_leger.ts";
import { spawnCaptured, type SpawnResult } from "./_spawn.ts";

const SPEC = `${ROOT}/leger.spec`;
const STANDIN = `${TESTDATA}/rpm/macros.systemd-standin`;
const VERSION = denoJson.version;
const TOOLS = ["rpm", "rpmspec", "rpmbuild", "rpmlint", "rpm2cpio", "cpio"];

/**
 * CI installs rpm and rpmlint and sets `LEGER_PACKAGING_TOOLS=required`, so
 * that these tests fail there, rather than being ignored, if one goes missing.
 */
const toolsRequired = Deno.env.get("LEGER_PACKAGING_TOOLS") === "required";
const missingTools = [...TOOLS, "git"].filter((bin) => !onPath(bin));
const ignored = missingTools.length > 0 && !toolsRequired;
/** Said in each test's name when it is ignored. */
const ignoredBecause = ignored
  ? ` (ignored: ${missingTools.join(", ")} not installed)`
  : "";

/**
 * The machine's RPM architecture, which `%{_arch}` expands to: for the two
 * leger is built for, Deno's name for it (`x86_64`, `aarch64`).
 */
const ARCH = Deno.build.arch;

/**
 * Why `rpmbuild -bb` cannot compile for real here, if it cannot: the first
 * line of `deno task compile`'s own message when it finds no denort for this
 * machine's target (its exported check, `findDenorts`: DENORT_BIN, Deno's
 * cache, dl.deno.land).
 */
const noDenort = ignored ? undefined : await denortMissing();

async function denortMissing(): Promise<string | undefined> {
  const info = await spawnCaptured(Deno.execPath(), ["info", "--json"]);
  try {
    await findDenorts([`${ARCH}-unknown-linux-gnu` as Target], {
      denortBin: Deno.env.get("DENORT_BIN"),
      denoDir: JSON.parse(info.stdout).denoDir,
    });
    return undefined;
  } catch (error) {
    // Any other refusal (a DENORT_BIN that does not fit) is for the build to
    // report: the test runs, and fails with it.
    if (!(error instanceof CompileError) || error.exitCode !== EXIT_SKIPPED) {
      return undefined;
    }
    return error.message.split("\n")[0];
  }
}

/** The files the binary RPM installs, each with where it comes from. */
const UNITS = ["legerd.service", "leger-update.service", "leger-update.timer"];
const UNIT_FILES: [string, string][] = UNITS.flatMap((unit) => [
  [`/usr/lib/systemd/system/${unit}`, `systemd/system/${unit}`],
  [`/usr/lib/systemd/user/${unit}`, `systemd/user/${unit}`],
]);
const COMPLETION_FILES: Record<string, string> = {
  bash: "/usr/share/bash-completion/completions/leger",
  zsh: "/usr/share/zsh/site-functions/_leger",
  fish: "/usr/share/fish/vendor_completions.d/leger.fish",
};
/** What %files names (paths), besides %license and %doc. */
const LISTED = [
  "/usr/bin/leger",
  "/usr/bin/legerd",
  ...UNIT_FILES.map(([path]) => path),
  ...Object.values(COMPLETION_FILES),
].sort();
const LICENSE = "/usr/share/licenses/leger/LICENSE";
const README = "/usr/share/doc/leger/README.md";

/**
 * rpmlint's warnings on leger.spec that stay, each with why. Any other
 * warning fails the test: correct the spec, or justify it here.
 */
const JUSTIFIED_WARNINGS: Record<string, string> = {
  // rpm has ignored BuildRoot: since 4.6 (it always builds in
  // %{_buildrootdir}), and Fedora's guidelines say to leave it out; Debian's
  // rpmlint still asks for it.
  "no-buildroot-tag": "BuildRoot: is obsolete",
  // The tarball is made from the Git tree (`git archive`, see the spec's
  // header), not downloaded, so Source0 is a file name, not a URL.
  "invalid-url": "Source0 is made by git archive, not downloaded",
};

/** Runs one of the RPM tools (or git), which must be there unless ignored. */
async function tool(
  bin: string,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<SpawnResult> {
  try {
    return await spawnCaptured(bin, args, options);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(
        `Cannot run "${bin}": it is not installed, and LEGER_PACKAGING_TOOLS=required\n` +
          "Install it with `apt-get install rpm rpmlint git cpio` (Debian) or `dnf install rpm-build rpmlint git-core cpio` (Fedora)",
        { cause: error },
      );
    }
    throw error;
  }
}

/** Runs a tool and returns its stdout, failing the test on a non-zero exit. */
async function ok0(
  bin: string,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<string> {
  const result = await tool(bin, args, options);
  strictEqual(
    result.code,
    0,
    `${bin} ${
      args.join(" ")
    } exited ${result.code}:\n${result.stderr}${result.stdout}`,
  );
  return result.stdout;
}

/** `rpmspec ARGS… leger.spec` with the stand-in systemd macros loaded. */
function rpmspec(args: readonly string[]): Promise<string> {
  return ok0("rpmspec", ["--load", STANDIN, ...args, SPEC]);
}

/** Lines of one query, one value a line, without the empty last one. */
function lines(text: string): string[] {
  return text.split("\n").filter((line) => line !== "");
}

/**
 * The section names of rpm 4.18's spec format: a line starting with one of
 * them (`%post`, `%files -f list`) ends the section before it.
 */
const SECTION_NAMES = new Set([
  "package",
  "description",
  "prep",
  "generate_buildrequires",
  "conf",
  "build",
  "install",
  "check",
  "clean",
  "pretrans",
  "pre",
  "post",
  "preun",
  "postun",
  "posttrans",
  "preuntrans",
  "postuntrans",
  "verifyscript",
  "triggerprein",
  "triggerin",
  "triggerun",
  "triggerpostun",
  "filetriggerin",
  "filetriggerun",
  "filetriggerpostun",
  "transfiletriggerin",
  "transfiletriggerun",
  "transfiletriggerpostun",
  "files",
  "changelog",
  "patchlist",
  "sourcelist",
]);

/** The section a spec line starts, if it is a section header. */
function sectionHeader(line: string): string | undefined {
  const name = /^%(\w+)(?:\s|$)/.exec(line)?.[1];
  return name !== undefined && SECTION_NAMES.has(name) ? name : undefined;
}

/**
 * The sections of a spec, by name (`preamble` for what comes before the
 * first), each as its lines without blank lines, and without comment lines
 * unless `withComments`. rpm 4.18's `rpmspec -P` prints no `%build` line: in
 * its output the build script ends the `%prep` section.
 */
function sections(
  text: string,
  withComments = false,
): Map<string, string[]> {
  const result = new Map<string, string[]>([["preamble", []]]);
  let current = result.get("preamble")!;
  for (const line of text.split("\n")) {
    const header = sectionHeader(line);
    if (header !== undefined) {
      current = [];
      result.set(header, current);
    } else if (
      line.trim() !== "" && (withComments || !line.startsWith("#"))
    ) {
      current.push(line.trim());
    }
  }
  return result;
}

/**
 * What each scriptlet runs, by section, as the stand-in's macros show it
 * (one `: MACRO UNIT...` line a macro): presets on the first install for the
 * units that can be enabled, disable --now of all on removal, and on upgrade
 * a restart of legerd only.
 */
async function expectedScriptlets(): Promise<Record<string, string[]>> {
  const systemPreset = (await installable("system")).join(" ");
  const userPreset = (await installable("user")).join(" ");
  deepStrictEqual(systemPreset, "legerd.service leger-update.timer");
  deepStrictEqual(userPreset, "legerd.service leger-update.timer");
  const all = UNITS.join(" ");
  return {
    post: [
      `: systemd_post ${systemPreset}`,
      `: systemd_user_post ${userPreset}`,
    ],
    preun: [
      `: systemd_preun ${all}`,
      `: systemd_user_preun ${all}`,
    ],
    postun: [
      ": systemd_postun_with_restart legerd.service",
      ": systemd_postun leger-update.service leger-update.timer",
      ": systemd_user_postun_with_restart legerd.service",
      ": systemd_user_postun leger-update.service leger-update.timer",
    ],
  };
}

/** The systemd macros (`systemd_post`…) a script's lines name, comments included. */
function systemdMacrosNamed(script: readonly string[]): Set<string> {
  return new Set(
    script.flatMap((line) => [...line.matchAll(/\bsystemd_\w+/g)])
      .map(([name]) => name),
  );
}

/** The units of systemd/ that have an [Install] section (presets apply to them). */
async function installable(scope: "system" | "user"): Promise<string[]> {
  const names: string[] = [];
  for (const unit of UNITS) {
    const text = await Deno.readTextFile(`${ROOT}/systemd/${scope}/${unit}`);
    if (/^\[Install\]$/m.test(text)) names.push(unit);
  }
  return names;
}

Deno.test({
  name:
    `rpmspec -P parses leger.spec: deno.json's version, Requires podman >= 4.4 and systemd, and %files lists the binaries, the six units, the completions, LICENSE and README${ignoredBecause}`,
  ignore: ignored,
  async fn() {
    const preprocessed = await tool("rpmspec", ["--load", STANDIN, "-P", SPEC]);
    deepStrictEqual(
      { code: preprocessed.code, stderr: preprocessed.stderr },
      { code: 0, stderr: "" },
    );
    const parsed = sections(preprocessed.stdout);
    deepStrictEqual(
      lines(
        await rpmspec([
          "-q",
          "--qf",
          "%{NAME}\n%{VERSION}\n%{LICENSE}\n%{URL}\n",
        ]),
      ),
      ["leger", VERSION, "Apache-2.0", "https://leger.run"],
    );
    match(await rpmspec(["-q", "--qf", "%{RELEASE}"]), /^1(\.|$)/);
    deepStrictEqual(
      lines(
        await rpmspec([
          "-q",
          "--srpm",
          "--qf",
          "[%{EXCLUSIVEARCH}\n]@\n[%{SOURCE}\n]@\n[%{REQUIRENAME}\n]",
        ]),
      ),
      [
        "x86_64",
        "aarch64",
        "@",
        `leger-${VERSION}.tar.gz`,
        "@",
        "deno",
        "systemd-rpm-macros",
      ],
    );
    // What the package needs to install, and what each scriptlet needs
    // (%{?systemd_requires}); rpm adds /bin/sh for the scriptlets.
    deepStrictEqual(
      lines(
        await rpmspec([
          "-q",
          "--qf",
          "[%{REQUIRENAME} %{REQUIREFLAGS:depflags} %{REQUIREVERSION} (%{REQUIREFLAGS:deptype})\n]",
        ]),
      ).map((line) => line.replace(/\s+/g, " ")).filter((line) =>
        !line.startsWith("/bin/sh ")
      ),
      [
        "podman >= 4.4 (manual)",
        "systemd (manual)",
        "systemd (post)",
        "systemd (preun)",
        "systemd (postun)",
      ],
    );
    deepStrictEqual(
      lines(await rpmspec(["-q", "--qf", "[%{RECOMMENDNAME}\n]"])),
      ["git-core", "tailscale"],
    );

    const files = parsed.get("files") ?? [];
    ok(files.includes("%license LICENSE"), `${files}`);
    ok(files.includes("%doc README.md"), `${files}`);
    deepStrictEqual(
      files.filter((line) => !line.startsWith("%")).sort(),
      LISTED,
    );

    // The scriptlets, with the stand-in's view of the systemd macros.
    const expected = await expectedScriptlets();
    for (const section of ["post", "preun", "postun"]) {
      deepStrictEqual(parsed.get(section), expected[section], section);
    }
  },
});

Deno.test({
  name:
    `rpmlint finds no error in leger.spec, and only the warnings justified in this test${ignoredBecause}`,
  ignore: ignored,
  async fn() {
    const result = await tool("rpmlint", [SPEC]);
    const findings = lines(result.stdout).filter((line) =>
      line.startsWith("leger.spec:")
    );
    deepStrictEqual(
      findings.filter((line) => / E: /.test(line)),
      [],
      result.stdout,
    );
    match(result.stdout, / 0 errors, /);
    strictEqual(result.code, 0, result.stdout + result.stderr);
    for (const line of findings) {
      const id = / W: (\S+)/.exec(line)?.[1];
      ok(
        id !== undefined && id in JUSTIFIED_WARNINGS,
        `rpmlint warns "${line}": correct leger.spec, or say in JUSTIFIED_WARNINGS why it stays`,
      );
    }
  },
});

/**
 * How the newest %changelog entry of a spec disagrees with its Version: and
 * Release: (without %{?dist}, which no changelog entry names), or undefined
 * when it is for exactly that version-release. rpm reads the entries, newest
 * first; the entry's header line ends with its version-release.
 */
async function changelogBehind(spec: string): Promise<string | undefined> {
  const [packaged, newest] = lines(
    await ok0("rpmspec", [
      "--load",
      STANDIN,
      "--undefine",
      "dist",
      "-q",
      "--qf",
      "%{VERSION}-%{RELEASE}\n%{CHANGELOGNAME}\n",
      spec,
    ]),
  );
  const entry = /(\S+)$/.exec(newest ?? "")?.[1];
  return entry === packaged ? undefined : (
    `${spec}: the newest %changelog entry ("${newest}") is for ${entry}, ` +
    `but Version:-Release: is ${packaged}: add an entry for ${packaged} at the top of %changelog`
  );
}

Deno.test({
  name:
    `leger.spec's newest %changelog entry is for its Version:-Release:, deno.json's version (and a spec whose %changelog was left behind fails this check)${ignoredBecause}`,
  ignore: ignored,
  async fn() {
    strictEqual(await changelogBehind(SPEC), undefined);
    match(
      lines(await rpmspec(["-q", "--qf", "%{CHANGELOGNAME}\n"]))[0],
      new RegExp(` ${VERSION.replaceAll(".", "\\.")}-1$`),
    );
    // The control: Version: moved on, %changelog did not; then an entry
    // for the new version is added.
    const dir = await Deno.makeTempDir({ prefix: "leger_changelog_" });
    try {
      const text = await Deno.readTextFile(SPEC);
      const bumped = `${VERSION}.99`;
      const behind = text.replace(/^Version:(\s+).*$/m, `Version:$1${bumped}`);
      await Deno.writeTextFile(`${dir}/behind.spec`, behind);
      strictEqual(
        await changelogBehind(`${dir}/behind.spec`),
        `${dir}/behind.spec: the newest %changelog entry ("leger authors - ${VERSION}-1") is for ${VERSION}-1, ` +
          `but Version:-Release: is ${bumped}-1: add an entry for ${bumped}-1 at the top of %changelog`,
      );
      // The new entry takes the newest one's date (rpm wants them newest
      // first, each with the right weekday).
      const date = /^%changelog\n(\* \w{3} \w{3} \d{2} \d{4}) /m.exec(text)
        ?.[1];
      ok(date !== undefined, "no dated entry under %changelog");
      await Deno.writeTextFile(
        `${dir}/caught-up.spec`,
        behind.replace(
          "%changelog\n",
          `%changelog\n${date} leger authors - ${bumped}-1\n- Next\n\n`,
        ),
      );
      strictEqual(await changelogBehind(`${dir}/caught-up.spec`), undefined);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/**
 * The comment blocks of a spec that end a section: rpm reads a section up to
 * the next section's header, so a comment written just above a header is part
 * of the section before (of its script, for %check or %post) — only in the
 * preamble, which has no script, does rpm ignore it.
 */
function commentsEndingSections(text: string): string[] {
  const found: string[] = [];
  let section: string | undefined;
  let last: { line: string; number: number } | undefined;
  text.split("\n").forEach((line, index) => {
    const header = sectionHeader(line);
    if (header !== undefined) {
      if (section !== undefined && last?.line.startsWith("#")) {
        found.push(
          `line ${last.number}, above %${header}, is in %${section}: "${last.line}"`,
        );
      }
      section = header;
      last = undefined;
    } else if (line.trim() !== "") {
      last = { line, number: index + 1 };
    }
  });
  return found;
}

Deno.test({
  name:
    `leger.spec's commentary is inside the section it explains: no comment block ends a section (rpm would make it part of that section's script), and %check holds only its own${ignoredBecause}`,
  ignore: ignored,
  async fn() {
    deepStrictEqual(
      commentsEndingSections(await Deno.readTextFile(SPEC)),
      [],
      "move each comment block below the header of the section it explains",
    );
    // The control: commentary on %post written above it ends %check.
    deepStrictEqual(
      commentsEndingSections(
        "Name: x\n# preamble\n%check\ntest 1\n\n# %post does\n%post\n: y\n",
      ),
      ['line 6, above %post, is in %check: "# %post does"'],
    );
    // %check's script as rpm reads it: its two tests and its own comment,
    // nothing of the scriptlets'.
    const check = sections(await rpmspec(["-P"]), true).get("check") ?? [];
    deepStrictEqual(check.filter((line) => !line.startsWith("#")), [
      `test "$(./dist/leger --version)" = "leger ${VERSION}"`,
      `test "$(./dist/legerd --version)" = "legerd ${VERSION}"`,
    ]);
    deepStrictEqual([...systemdMacrosNamed(check)], [], check.join("\n"));
  },
});

Deno.test({
  name:
    `leger.spec's %build runs deno task compile for the package's architecture, then the completion commands leger has${ignoredBecause}`,
  ignore: ignored,
  async fn() {
    // rpm 4.18's `rpmspec -P` drops the %build line: read the spec itself.
    const build = sections(await Deno.readTextFile(SPEC)).get("build") ?? [];
    ok(
      build.includes("deno task compile --target %{_arch}-unknown-linux-gnu"),
      `${build}`,
    );
    // Each architecture the spec builds for gives one of the targets
    // `deno task compile` builds, and the spec builds for all of them.
    const arches = lines(
      await rpmspec(["-q", "--srpm", "--qf", "[%{EXCLUSIVEARCH}\n]"]),
    );
    deepStrictEqual(
      arches.map((arch) => `${arch}-unknown-linux-gnu`),
      [...SUPPORTED_TARGETS],
    );
    for (const arch of arches) {
      match(
        await rpmspec(["--target", arch, "-P"]),
        new RegExp(
          `^deno task compile --target ${arch}-unknown-linux-gnu$`,
          "m",
        ),
      );
    }
    const completions = build.flatMap((line) => {
      const found = /^\.\/dist\/leger completion (\S+) > (\S+)$/.exec(line);
      return found === null ? [] : [[found[1], found[2]]];
    });
    deepStrictEqual(
      completions.map(([shell]) => shell).sort(),
      [...SHELLS].sort(),
    );
    // The shell names are the CLI's: each one writes a script.
    for (const [shell] of completions) {
      const result = await runLeger(["completion", shell]);
      strictEqual(result.code, 0, result.stderr);
      match(result.stdout, new RegExp(`${shell} completion for leger`, "i"));
    }
    // And the files written are the ones %install installs, each where its
    // shell loads it.
    const install = sections(await Deno.readTextFile(SPEC)).get("install") ??
      [];
    const macroOf: Record<string, string> = {
      bash: "%{bash_completions_dir}/leger",
      zsh: "%{zsh_completions_dir}/_leger",
      fish: "%{fish_completions_dir}/leger.fish",
    };
    for (const [shell, file] of completions) {
      ok(
        install.includes(
          `install -D -m 0644 ${file} %{buildroot}${macroOf[shell]}`,
        ),
        `${shell}: ${install.join("\n")}`,
      );
    }
  },
});

/** A temporary rpmbuild _topdir with the tarball of the working tree in SOURCES. */
interface TopDir extends AsyncDisposable {
  dir: string;
  tarball: string;
}

async function topDir(): Promise<TopDir> {
  const dir = await Deno.makeTempDir({ prefix: "leger_rpm_" });
  for (const sub of ["SOURCES", "SPECS"]) await Deno.mkdir(`${dir}/${sub}`);
  // The working tree's tracked files with their uncommitted changes (a stash
  // commit, made without touching the index, the tree or the stash list);
  // HEAD when there is no change.
  // A CI clone may have no Git identity, which a stash commit needs.
  const stash = (await ok0("git", [
    "-c",
    "user.name=leger packaging test",
    "-c",
    "user.email=packaging-test@invalid",
    "stash",
    "create",
  ], { cwd: ROOT })).trim();
  const tarball = `${dir}/SOURCES/leger-${VERSION}.tar.gz`;
  await ok0("git", [
    "archive",
    `--prefix=leger-${VERSION}/`,
    "-o",
    tarball,
    stash === "" ? "HEAD" : stash,
  ], { cwd: ROOT });
  await Deno.copyFile(SPEC, `${dir}/SPECS/leger.spec`);
  return {
    dir,
    tarball,
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** Options of {@linkcode rpmbuild}. */
interface RpmbuildOptions {
  /** Added to rpmbuild's environment. */
  env?: Record<string, string>;
  /** Whether to load the stand-in systemd macros. */
  standIn?: boolean;
  /** Macros to undefine (after the stand-in and the system's macros). */
  undefine?: readonly string[];
}

/** `rpmbuild MODE` of the spec in a temporary _topdir. */
function rpmbuild(
  top: TopDir,
  mode: string[],
  options: RpmbuildOptions = {},
): Promise<SpawnResult> {
  const { env = {}, standIn = true, undefine = [] } = options;
  return tool("rpmbuild", [
    "--define",
    `_topdir ${top.dir}`,
    ...(standIn ? ["--load", STANDIN] : []),
    ...undefine.flatMap((name) => ["--undefine", name]),
    ...mode,
    `${top.dir}/SPECS/leger.spec`,
  ], { env });
}

Deno.test({
  name:
    `rpmbuild -bs builds leger-VERSION-1.src.rpm from a git archive tarball of the working tree, holding the spec and the tarball${ignoredBecause}`,
  ignore: ignored,
  async fn() {
    await using top = await topDir();
    // What the spec's %prep, %build and %install read is in the tarball,
    // under the prefix %autosetup enters.
    const listed = lines(await ok0("tar", ["-tzf", top.tarball]));
    for (
      const file of [
        "deno.json",
        "deno.lock",
        "LICENSE",
        "README.md",
        "cli/main.ts",
        "daemon/main.ts",
        ...UNIT_FILES.map(([, source]) => source),
      ]
    ) {
      ok(listed.includes(`leger-${VERSION}/${file}`), file);
    }
    const result = await rpmbuild(top, ["-bs"]);
    strictEqual(result.code, 0, result.stderr);
    const srpms = [...Deno.readDirSync(`${top.dir}/SRPMS`)].map((e) => e.name);
    strictEqual(srpms.length, 1, `${srpms}`);
    match(
      srpms[0],
      new RegExp(
        `^leger-${VERSION.replaceAll(".", "\\.")}-1(\\..+)?\\.src\\.rpm$`,
      ),
    );
    const srpm = `${top.dir}/SRPMS/${srpms[0]}`;
    deepStrictEqual(lines(await ok0("rpm", ["-qlp", srpm])), [
      `leger-${VERSION}.tar.gz`,
      "leger.spec",
    ]);
    deepStrictEqual(
      lines(
        await ok0("rpm", [
          "-qp",
          "--qf",
          "%{NAME} %{VERSION}\n[%{REQUIRENAME}\n]",
          srpm,
        ]),
      )
        .filter((line) => !line.startsWith("rpmlib(")),
      [`leger ${VERSION}`, "deno", "systemd-rpm-macros"],
    );
  },
});

/** Unpacks an RPM's files into a new folder. */
async function unpack(rpm: string, into: string): Promise<void> {
  await Deno.mkdir(into, { recursive: true });
  const rpm2cpio = new Deno.Command("rpm2cpio", {
    args: [rpm],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const cpio = new Deno.Command("cpio", {
    args: ["-idm", "--quiet", "--no-absolute-filenames"],
    cwd: into,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  await rpm2cpio.stdout.pipeTo(cpio.stdin);
  const [from, to] = await Promise.all([rpm2cpio.output(), cpio.output()]);
  strictEqual(from.code, 0, new TextDecoder().decode(from.stderr));
  strictEqual(to.code, 0, new TextDecoder().decode(to.stderr));
}

/**
 * The scriptlets `rpm -qp --scripts` prints, by kind (`postinstall`…), each
 * as its lines without blank ones, in the order printed.
 */
function scriptletsOf(text: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of text.split("\n")) {
    const header = /^(\w+) scriptlet \(using [^)]+\):$/.exec(line);
    if (header !== null) {
      current = [];
      result.set(header[1], current);
    } else if (line.trim() !== "") {
      ok(current !== undefined, `not in a scriptlet: ${line}`);
      current.push(line.trim());
    }
  }
  return result;
}

/**
 * Builds the binary RPM from the working tree's tarball and checks what it
 * holds against the repository: every file, the units byte for byte, the
 * completions as `leger completion SHELL` writes them, the dependencies and
 * the scriptlets. Returns where it unpacked the RPM.
 */
async function buildAndCheckRpm(
  top: TopDir,
  env: Record<string, string>,
): Promise<string> {
  // --nodeps: the BuildRequires (deno, systemd-rpm-macros) are not in the
  // rpm database of a Debian machine even where deno is installed.
  // --noclean: the build folder stays, to compare dist/ with the package.
  const result = await rpmbuild(top, ["-bb", "--nodeps", "--noclean"], {
    env,
  });
  if (result.code !== 0) {
    // The tarball holds tracked files only: a new module not yet added to
    // Git is missing from it (in CI, everything is committed).
    const untracked = await ok0("git", [
      "ls-files",
      "--others",
      "--exclude-standard",
    ], { cwd: ROOT });
    strictEqual(
      result.code,
      0,
      `${result.stderr}\n${result.stdout}${
        untracked === ""
          ? ""
          : `\nNot in the tarball (untracked; \`git add\` them):\n${untracked}`
      }`,
    );
  }
  const rpm = `${top.dir}/RPMS/${ARCH}/leger-${VERSION}-${await ok0("rpmspec", [
    "--load",
    STANDIN,
    "-q",
    "--qf",
    "%{RELEASE}",
    SPEC,
  ])}.${ARCH}.rpm`;
  // Debian's rpm names the doc and licence folders NAME-VERSION
  // (%{_docdir_fmt}), Fedora's NAME: either is the package's own.
  const docDir = new RegExp(`^/usr/share/(doc|licenses)/leger(-${VERSION})?`);
  const files = lines(await ok0("rpm", ["-qlp", rpm]));
  const owned = new Map(
    files.map((path) => [path.replace(docDir, "/usr/share/$1/leger"), path]),
  );
  deepStrictEqual(
    [...owned.keys()].filter((path) =>
      path !== "/usr/share/doc/leger" && path !== "/usr/share/licenses/leger"
    ),
    [...LISTED, LICENSE, README].sort(),
  );
  const requires = lines(
    await ok0("rpm", [
      "-qp",
      "--qf",
      "[%{REQUIRENAME} %{REQUIREFLAGS:depflags} %{REQUIREVERSION}\n]",
      rpm,
    ]),
  ).map((line) => line.trim().replace(/\s+/g, " "));
  ok(requires.includes("podman >= 4.4"), `${requires}`);
  ok(requires.includes("systemd"), `${requires}`);
  // Each scriptlet holds what its section says, its own commentary included,
  // and no other's: the systemd macros it names are the ones it calls.
  const scriptlets = scriptletsOf(
    await ok0("rpm", ["-qp", "--scripts", rpm]),
  );
  const parsed = sections(await rpmspec(["-P"]), true);
  const expected = await expectedScriptlets();
  deepStrictEqual([...scriptlets.keys()], [
    "postinstall",
    "preuninstall",
    "postuninstall",
  ]);
  for (
    const [kind, section] of [
      ["postinstall", "post"],
      ["preuninstall", "preun"],
      ["postuninstall", "postun"],
    ]
  ) {
    const script = scriptlets.get(kind)!;
    deepStrictEqual(
      script.filter((line) => !line.startsWith("#")),
      expected[section],
      kind,
    );
    deepStrictEqual(
      systemdMacrosNamed(script),
      systemdMacrosNamed(expected[section]),
      `the ${kind} scriptlet names another section's macro:\n${
        script.join("\n")
      }`,
    );
    deepStrictEqual(script, parsed.get(section), kind);
  }

  const root = `${top.dir}/unpacked`;
  await unpack(rpm, root);
  for (const [path, source] of UNIT_FILES) {
    strictEqual(
      await Deno.readTextFile(`${root}${path}`),
      await Deno.readTextFile(`${ROOT}/${source}`),
      `${path} is ${source} verbatim`,
    );
  }
  // The user unit runs the packaged legerd.
  match(
    await Deno.readTextFile(`${root}/usr/lib/systemd/user/legerd.service`),
    /^ExecStart=\/usr\/bin\/legerd$/m,
  );
  for (const [shell, path] of Object.entries(COMPLETION_FILES)) {
    strictEqual(
      await Deno.readTextFile(`${root}${path}`),
      (await runLeger(["completion", shell])).stdout,
      path,
    );
  }
  strictEqual(
    await Deno.readTextFile(`${root}${owned.get(LICENSE)}`),
    await Deno.readTextFile(`${ROOT}/LICENSE`),
  );
  strictEqual(
    await Deno.readTextFile(`${root}${owned.get(README)}`),
    await Deno.readTextFile(`${ROOT}/README.md`),
  );
  for (const bin of ["leger", "legerd"]) {
    const { mode } = await Deno.stat(`${root}/usr/bin/${bin}`);
    strictEqual(mode! & 0o777, 0o755, bin);
    // Byte for byte what %build made: nothing after %install (strip,
    // debuginfo) rewrote it.
    deepStrictEqual(
      await Deno.readFile(`${root}/usr/bin/${bin}`),
      await Deno.readFile(`${top.dir}/BUILD/leger-${VERSION}/dist/${bin}`),
      `/usr/bin/${bin} is not dist/${bin} as built`,
    );
  }
  return root;
}

Deno.test({
  name:
    `leger.spec's settings keep rpm from rewriting an ELF binary with data appended, as deno compile makes them (without them, rpm strips the data)${ignoredBecause}`,
  ignore: ignored,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "leger_rpm_strip_" });
    try {
      // A stand-in for a compiled leger: an ELF executable (`true`, as the
      // distribution built and stripped it) with a program appended after
      // its last section.
      const elf = `${dir}/elf`;
      const bytes = new Uint8Array([
        ...await Deno.readFile("/usr/bin/true"),
        ...new TextEncoder().encode("appended program"),
      ]);
      await Deno.writeFile(elf, bytes, { mode: 0o755 });
      const settings = (await Deno.readTextFile(SPEC)).split("\n")
        .filter((line) => line.startsWith("%global "));
      ok(settings.includes("%global __strip /bin/true"), `${settings}`);
      const packaged = async (preamble: string[]) => {
        const top = `${dir}/top-${preamble.length}`;
        await Deno.mkdir(`${top}/SPECS`, { recursive: true });
        await Deno.writeTextFile(
          `${top}/SPECS/elf.spec`,
          [
            ...preamble,
            "Name: elf",
            "Version: 1",
            "Release: 1",
            "Summary: An ELF file with data appended",
            "License: Apache-2.0",
            "%description",
            "An ELF file with data appended.",
            "%install",
            `install -D -m 0755 ${elf} %{buildroot}/usr/bin/elf`,
            "%files",
            "/usr/bin/elf",
            "",
          ].join("\n"),
        );
        const built = await tool("rpmbuild", [
          "--define",
          `_topdir ${top}`,
          "-bb",
          `${top}/SPECS/elf.spec`,
        ]);
        strictEqual(built.code, 0, built.stderr);
        const [rpm] = [...Deno.readDirSync(`${top}/RPMS/${ARCH}`)];
        await unpack(`${top}/RPMS/${ARCH}/${rpm.name}`, `${top}/root`);
        return await Deno.readFile(`${top}/root/usr/bin/elf`);
      };
      deepStrictEqual(await packaged(settings), bytes);
      // The control: rpm's default post-processing does rewrite it.
      const stripped = await packaged([]);
      ok(
        stripped.length !== bytes.length ||
          stripped.some((byte, i) => byte !== bytes[i]),
        "rpm packaged the file unchanged without leger.spec's settings: this test no longer shows they matter",
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

/** Quotes a word for sh. */
function shQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** A `deno` for rpmbuild's PATH that stands in for `deno task compile`. */
interface StandInDeno {
  /** The environment rpmbuild runs with: PATH with the stand-in first. */
  env: Record<string, string>;
  /** Where it writes `deno task compile`'s arguments, one a line, when run. */
  recorded: string;
}

/**
 * A `deno` first on PATH that, for `deno task compile`, records its
 * arguments and writes dist/leger and dist/legerd as scripts running the
 * unpacked sources with the tasks' flags (the shipped binaries carry exactly
 * these), and runs the real deno for anything else.
 */
async function standInDeno(top: TopDir): Promise<StandInDeno> {
  const bin = `${top.dir}/bin`;
  await Deno.mkdir(bin);
  const deno = Deno.execPath();
  for (const [program, entry] of [["leger", "cli"], ["legerd", "daemon"]]) {
    await Deno.writeTextFile(
      `${bin}/${program}.stand-in`,
      [
        "#!/bin/sh",
        `exec ${shQuote(deno)} run --quiet ${
          permissionFlags(program as "leger" | "legerd").map(shQuote).join(
            " ",
          )
        } "$(dirname "$0")/../${entry}/main.ts" "$@"`,
        "",
      ].join("\n"),
    );
  }
  const recorded = `${top.dir}/compile-args`;
  await Deno.writeTextFile(
    `${bin}/deno`,
    [
      "#!/bin/sh",
      'if [ "$1" = task ] && [ "$2" = compile ]; then',
      `  printf '%s\\n' "$@" > ${shQuote(recorded)}`,
      "  mkdir -p dist",
      `  install -m 0755 ${shQuote(`${bin}/leger.stand-in`)} dist/leger`,
      `  install -m 0755 ${shQuote(`${bin}/legerd.stand-in`)} dist/legerd`,
      "  exit 0",
      "fi",
      `exec ${shQuote(deno)} "$@"`,
      "",
    ].join("\n"),
  );
  await Deno.chmod(`${bin}/deno`, 0o755);
  return {
    env: {
      PATH: `${bin}:${Deno.env.get("PATH") ?? "/usr/bin:/bin"}`,
      DENO_DIR,
    },
    recorded,
  };
}

Deno.test({
  name:
    `rpmbuild -bb runs %build, %install and %check (deno task compile stood in for) and packages exactly the listed files, the units as in systemd/${ignoredBecause}`,
  ignore: ignored,
  async fn() {
    await using top = await topDir();
    const deno = await standInDeno(top);
    await buildAndCheckRpm(top, deno.env);
    deepStrictEqual(lines(await Deno.readTextFile(deno.recorded)), [
      "task",
      "compile",
      "--target",
      `${ARCH}-unknown-linux-gnu`,
    ]);
  },
});

/** The systemd RPM macros leger.spec uses, outside the %prep check of them. */
async function systemdMacrosUsed(): Promise<string[]> {
  const parsed = sections(await Deno.readTextFile(SPEC));
  parsed.delete("prep");
  const names = [...parsed.values()].flat().flatMap((line) => [
    ...line.matchAll(/%\{?[?!]*(_unitdir|_userunitdir|systemd_\w+)\b/g),
  ]).map(([, name]) => name);
  return [...new Set(names)].sort();
}

/** The names in the message of leger.spec's %prep check, if it gave one. */
function missingNamed(stderr: string): string[] | undefined {
  const named =
    /^error: Cannot build leger: systemd's RPM macros are not defined: (.+)\. Install them with `sudo dnf install systemd-rpm-macros`, then build again\.$/m
      .exec(stderr)?.[1];
  return named?.split(" ").sort();
}

Deno.test({
  name:
    `rpmbuild -bb --nodeps without systemd's RPM macros stops in %prep, before compiling, naming systemd-rpm-macros and each missing macro (the source RPM builds without them)${ignoredBecause}`,
  ignore: ignored,
  async fn() {
    // The macros the spec uses are the ones the stand-in defines, and the
    // ones %prep checks.
    const used = await systemdMacrosUsed();
    const standIn = (await Deno.readTextFile(STANDIN)).split("\n")
      .flatMap((line) => /^%(\w+)/.exec(line)?.[1] ?? [])
      .filter((name) => !name.startsWith("__"));
    deepStrictEqual(used, [...standIn].sort());
    const prep = (sections(await Deno.readTextFile(SPEC)).get("prep") ?? [])
      .flatMap((line) => [...line.matchAll(/%\{!\?(\w+):/g)])
      .map(([, name]) => name);
    deepStrictEqual([...prep].sort(), used);

    await using top = await topDir();
    const deno = await standInDeno(top);
    // As on a machine without systemd-rpm-macros (Debian: none to undefine;
    // elsewhere, the system's are undefined).
    const none = await rpmbuild(top, ["-bb", "--nodeps"], {
      env: deno.env,
      standIn: false,
      undefine: used,
    });
    ok(none.code !== 0, none.stderr);
    deepStrictEqual(missingNamed(none.stderr), used.map((name) => `%${name}`));
    match(none.stderr, /Bad exit status from \S+ \(%prep\)/);
    ok(!none.stderr.includes("File must begin with"), none.stderr);
    // Nothing was compiled.
    await Deno.stat(deno.recorded).then(
      () => ok(false, "deno task compile ran"),
      (error) => ok(error instanceof Deno.errors.NotFound, `${error}`),
    );
    // The check is the build's, not the spec's: rpm reads the spec without
    // the macros, as where a source RPM is made in a chroot without
    // BuildRequires (mock, Koji).
    const source = await rpmbuild(top, ["-bs"], {
      standIn: false,
      undefine: used,
    });
    strictEqual(source.code, 0, source.stderr);

    // With all of them, %prep goes on; without any one, it names that one.
    const all = await rpmbuild(top, ["-bp", "--nodeps"], { env: deno.env });
    strictEqual(all.code, 0, all.stderr);
    strictEqual(missingNamed(all.stderr), undefined);
    for (const name of used) {
      const result = await rpmbuild(top, ["-bp", "--nodeps"], {
        env: deno.env,
        undefine: [name],
      });
      ok(result.code !== 0, `${name}: ${result.stderr}`);
      deepStrictEqual(missingNamed(result.stderr), [`%${name}`], name);
    }
  },
});

Deno.test({
  name:
    `rpmbuild -bb end to end: deno compile builds the binaries, the RPM holds every file and its leger and legerd run${
      ignoredBecause ||
      (noDenort === undefined ? "" : ` (ignored: ${noDenort})`)
    }`,
  ignore: ignored || noDenort !== undefined,
  async fn() {
    await using top = await topDir();
    // The environment passes through rpmbuild to deno task compile:
    // DENORT_BIN, Deno's cache (DENO_DIR), a proxy.
    const root = await buildAndCheckRpm(top, { DENO_DIR });
    // Unstripped: the program appended to denort is still there.
    for (const bin of ["leger", "legerd"]) {
      const result = await spawnCaptured(`${root}/usr/bin/${bin}`, [
        "--version",
      ]);
      deepStrictEqual(
        { code: result.code, stdout: result.stdout },
        { code: 0, stdout: `${bin} ${VERSION}\n` },
        result.stderr,
      );
    }
  },
});
