import { hookEnvironment } from "./environment.js";
import { psQuote as q } from "./quote.js";
import { PREVIOUS_REVISION_EVENTS, SAVED_HOOK_EVENTS } from "./segments.js";
import type { InstallCommand, ServerRevision } from "./types.js";

/**
 * The Windows counterpart of bash.ts, run through AWS-RunPowerShellScript: the same events, status lines, deployment
 * root layout and agent messages. Windows has no `permissions` or `runas` (the AppSpec checker refuses them for
 * `os: windows`, codedeploy-spec §4.1); `.ps1` hooks run with powershell -File, others with cmd /c.
 */
export function powershellInstallScript(command: InstallCommand): string {
  const lines = [
    `# stepdeploy ${command.deploymentId}: ${command.events.join(", ")}`,
    "$ErrorActionPreference = 'Stop'",
    ...hookEnvironment(command).map(([k, v]) => `$env:${k} = ${q(v)}`),
    `$Root = ${q(command.deploymentRoot)}`,
    `$KeepRevisions = ${command.keepRevisions}`,
    PS_RUNTIME,
  ];
  for (const event of command.events) lines.push(`# ---- ${event}`, ...eventSteps(event, command));
  if (command.final) lines.push("Complete-Install");
  lines.push(`Write-Output '[stepdeploy] done: ${command.events.join(" ")}'`, "");
  return lines.join("\r\n");
}

function eventSteps(event: string, command: InstallCommand): string[] {
  if (PREVIOUS_REVISION_EVENTS.has(event) || command.fromLastRevision) return [`Invoke-Previous ${q(event)}`];
  if (event === "DownloadBundle") {
    const version = command.bundle.version ? " --version-id $env:BUNDLE_VERSION" : "";
    return [`Get-Bundle -Extension ${q(command.bundle.bundleType)} -VersionArgs ${q(version)}`];
  }
  if (event === "Install") {
    const r = command.revision;
    return [
      "$env:LIFECYCLE_EVENT = 'Install'",
      "Clear-LastInstall",
      ...(r.fileExistsBehavior === "DISALLOW" ? r.files.map((f) => `Assert-NoConflict ${q(f.source)} ${q(f.destination)}`) : []),
      ...r.files.map((f) => `Copy-Files ${q(f.source)} ${q(f.destination)} ${q(r.fileExistsBehavior)}`),
      `Save-PreviousHooks @(${hookList(r, [...SAVED_HOOK_EVENTS])})`,
      "Write-Status 'Install' 'Succeeded'",
    ];
  }
  return [`$env:LIFECYCLE_EVENT = ${q(event)}`, ...scriptCalls(command.revision, event, "$Archive"), `Write-Status ${q(event)} 'Succeeded'`];
}

function scriptCalls(revision: ServerRevision, event: string, base: string): string[] {
  const hook = revision.hooks.find((h) => h.event === event);
  return (hook?.scripts ?? []).map((s) => `Invoke-Hook ${q(event)} ${base} ${q(s.location)} ${s.timeoutSeconds}`);
}

/** `@{event='ApplicationStop'; location='...'; timeout=60}, ...` for the hooks a later deployment runs from this revision. */
function hookList(revision: ServerRevision, events: string[]): string {
  return events
    .flatMap((event) => (revision.hooks.find((h) => h.event === event)?.scripts ?? []).map((s) => `@{event=${q(event)}; location=${q(s.location)}; timeout=${s.timeoutSeconds}}`))
    .join(", ");
}

const PS_RUNTIME = `$GroupDir = Join-Path $Root $env:DEPLOYMENT_GROUP_ID
$DeploymentDir = Join-Path $GroupDir $env:DEPLOYMENT_ID
$Archive = Join-Path $DeploymentDir 'deployment-archive'
$Instructions = Join-Path $Root 'deployment-instructions'
$LastFile = Join-Path $Instructions "$($env:DEPLOYMENT_GROUP_ID)_last_successful_install"
$CleanupFile = Join-Path $Instructions "$($env:DEPLOYMENT_GROUP_ID)-cleanup"
$Log = Join-Path $DeploymentDir 'logs\\scripts.log'
New-Item -ItemType Directory -Force -Path (Join-Path $DeploymentDir 'logs'), $Instructions | Out-Null
$Previous = if (Test-Path $LastFile) { (Get-Content $LastFile -Raw).Trim() } else { '' }
function Write-Status($Event, $Status, $Detail = '') {
  $line = "[stepdeploy] event=$Event status=$Status" + $(if ($Detail) { " $Detail" } else { '' })
  Write-Output $line
  Add-Content -Path $Log -Value "$((Get-Date).ToUniversalTime().ToString('s'))Z $line"
}
function Stop-Failed($Event, $Code, $Message) { Write-Status $Event 'Failed' "code=$Code message=$Message"; exit 1 }
function Invoke-Hook($Event, $Base, $Location, $Timeout) {
  $path = Join-Path $Base $Location
  if (-not (Test-Path $path -PathType Leaf)) { Stop-Failed $Event 'ScriptMissing' "Script does not exist at specified location: $path" }
  $exe, $hookArgs = if ($path -like '*.ps1') { 'powershell.exe', @('-NoProfile', '-ExecutionPolicy', 'Bypass', '-File', $path) } else { 'cmd.exe', @('/c', $path) }
  $p = Start-Process -FilePath $exe -ArgumentList $hookArgs -WorkingDirectory $Base -NoNewWindow -PassThru -RedirectStandardOutput "$Log.out" -RedirectStandardError "$Log.err"
  if (-not $p.WaitForExit($Timeout * 1000)) { $p.Kill(); Stop-Failed $Event 'ScriptTimedOut' "Script at specified location: $Location failed to complete in $Timeout seconds" }
  Get-Content "$Log.out", "$Log.err" -ErrorAction SilentlyContinue | Tee-Object -FilePath $Log -Append
  if ($p.ExitCode -ne 0) { Stop-Failed $Event 'ScriptFailed' "Script at specified location: $Location failed with exit code $($p.ExitCode)" }
}
function Invoke-Previous($Event) {
  $env:LIFECYCLE_EVENT = $Event
  $hooksFile = Join-Path $Previous 'stepdeploy-hooks.json'
  if (-not $Previous -or -not (Test-Path $hooksFile)) { Write-Status $Event 'Skipped' 'reason=no-previous-revision'; return }
  foreach ($h in (Get-Content $hooksFile -Raw | ConvertFrom-Json)) { if ($h.event -eq $Event) { Invoke-Hook $Event (Join-Path $Previous 'deployment-archive') $h.location $h.timeout } }
  Write-Status $Event 'Succeeded' "revision=$(Split-Path $Previous -Leaf)"
}
function Get-Bundle($Extension, $VersionArgs) {
  $env:LIFECYCLE_EVENT = 'DownloadBundle'
  $file = Join-Path $DeploymentDir "bundle.$Extension"
  if (Test-Path $Archive) { Remove-Item -Recurse -Force $Archive }
  New-Item -ItemType Directory -Force -Path $Archive | Out-Null
  $cmd = "aws s3api get-object --bucket $env:BUNDLE_BUCKET --key $env:BUNDLE_KEY$VersionArgs --if-match $env:BUNDLE_ETAG \`"$file\`""
  cmd.exe /c $cmd | Out-File -Append $Log
  if ($LASTEXITCODE -ne 0) { Stop-Failed 'DownloadBundle' 'UnknownError' "cannot fetch s3://$env:BUNDLE_BUCKET/$env:BUNDLE_KEY (ETag $env:BUNDLE_ETAG): see $Log" }
  $etag = $env:BUNDLE_ETAG.Trim('"')
  if ($etag -notlike '*-*' -and (Get-FileHash -Algorithm MD5 $file).Hash.ToLower() -ne $etag) { Stop-Failed 'DownloadBundle' 'UnknownError' "the bundle's MD5 does not match its ETag $etag" }
  if ($Extension -ne 'zip') { Stop-Failed 'DownloadBundle' 'UnknownError' 'Windows instances take zip bundles only' }
  Expand-Archive -Path $file -DestinationPath $Archive -Force
  if (-not (Test-Path (Join-Path $Archive 'appspec.yml'))) { Stop-Failed 'DownloadBundle' 'UnknownError' 'the bundle has no appspec.yml at its root' }
  Write-Status 'DownloadBundle' 'Succeeded'
}
function Get-BundleFiles($Source) {
  $src = Join-Path $Archive ($Source.TrimStart('\\', '/'))
  if (Test-Path $src -PathType Container) { Get-ChildItem -Path $src -Recurse -File | ForEach-Object { @{ from = $_.FullName; rel = $_.FullName.Substring($src.TrimEnd('\\').Length + 1) } } }
  elseif (Test-Path $src) { @{ from = $src; rel = (Split-Path $src -Leaf) } }
  else { Stop-Failed 'Install' 'UnknownError' "files: source $Source is not in the bundle" }
}
function Clear-LastInstall {
  if (Test-Path $CleanupFile) { Get-Content $CleanupFile | Where-Object { $_ -and (Test-Path $_ -PathType Leaf) } | ForEach-Object { Remove-Item -Force $_ } }
  Set-Content -Path $CleanupFile -Value $null
}
function Assert-NoConflict($Source, $Destination) {
  foreach ($f in Get-BundleFiles $Source) { $t = Join-Path $Destination $f.rel; if (Test-Path $t) { Stop-Failed 'Install' 'UnknownError' "The deployment failed because a specified file already exists at this location: $t" } }
}
function Copy-Files($Source, $Destination, $Behavior) {
  foreach ($f in Get-BundleFiles $Source) {
    $t = Join-Path $Destination $f.rel
    if ((Test-Path $t) -and $Behavior -eq 'RETAIN') { continue }
    New-Item -ItemType Directory -Force -Path (Split-Path $t -Parent) | Out-Null
    Copy-Item -Force -Path $f.from -Destination $t
    Add-Content -Path $CleanupFile -Value $t
  }
}
function Save-PreviousHooks($Hooks) { ConvertTo-Json -InputObject @($Hooks) | Set-Content (Join-Path $DeploymentDir 'stepdeploy-hooks.json') }
function Complete-Install {
  Set-Content -Path $LastFile -Value $DeploymentDir
  Get-ChildItem -Directory $GroupDir | Sort-Object LastWriteTime -Descending | Select-Object -Skip $KeepRevisions | Where-Object { $_.FullName -ne $DeploymentDir } | Remove-Item -Recurse -Force
  Write-Output "[stepdeploy] revision=$($env:DEPLOYMENT_ID) recorded as the last successful install"
}`;
