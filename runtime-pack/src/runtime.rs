//! The server step of a runtime package, prepared: a PowerShell script that publishes, syncs
//! and installs a set of apps on an on-premises Business Central server, in dependency
//! order, and has the server make each app's runtime package with `Get-NAVAppRuntimePackage`
//! (`runtime-distribution.md` §2). Only a BC server makes genuine runtime packages; alkit
//! writes the script and checks what comes back, never a runtime package itself.
//!
//! Also: the community's runtime file name, `<Publisher>_<Name>_<Version>.runtime-<bcVersion>[-<country>].app`,
//! written ([`file_stem`]) and read back ([`parse_runtime_file_name`]).
//!
//! Pure: text in, text out; the caller writes the file.

/// One app of the set, as the script publishes it and asks for its runtime package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptApp {
    /// App id.
    pub id: uuid::Uuid,
    /// App name.
    pub name: String,
    /// Publisher.
    pub publisher: String,
    /// Version (`a.b.c.d`).
    pub version: String,
    /// The normal package to publish, relative to the script's folder (`/`-separated).
    pub file: String,
    /// `-ShowMyCode` of `Get-NAVAppRuntimePackage`.
    pub show_my_code: bool,
    /// `-IncludeSourceInPackageFile` (the source inside makes `Repair-NAVApp` possible).
    pub include_source: bool,
}

/// An app the set depends on that must already be installed on the server (published with
/// `Publish-NAVApp`, not from VS Code); the script checks it before it changes anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequiredApp {
    /// App id.
    pub id: uuid::Uuid,
    /// App name (for messages).
    pub name: String,
    /// Publisher (for messages).
    pub publisher: String,
    /// The lowest version the set accepts.
    pub min_version: String,
}

/// What the script does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerScript {
    /// The platform (`major`, `minor`) the packages are for; the script stops on a server of
    /// another platform.
    pub platform: (u32, u32),
    /// Default of `-ServerInstance`.
    pub server_instance: String,
    /// Default of `-Tenant`.
    pub tenant: String,
    /// Default of `-Country` (the localization in the file name; `w1` = none).
    pub country: String,
    /// The apps, in publish order (dependencies first).
    pub apps: Vec<ScriptApp>,
    /// Apps that must be installed first.
    pub required: Vec<RequiredApp>,
    /// Who made it (`alkit 0.1.0`), for the header.
    pub tool: String,
}

/// Base Application's app id: its version on the server is the `bcVersion` of the file name.
const BASE_APPLICATION_ID: &str = "437dbf0e-84ff-417a-965d-ed2bb9650972";

/// A PowerShell single-quoted string literal: nothing inside is expanded (`$`, backticks,
/// double quotes stay literal); every single-quote character PowerShell recognises
/// (`'`, `‘`, `’`, `‚`, `‛`) is doubled.
///
/// ```
/// use runtime_pack::runtime::ps_quote;
/// assert_eq!(ps_quote("O'Neil $x `n"), "'O''Neil $x `n'");
/// assert_eq!(ps_quote("it’s"), "'it’’s'");
/// ```
pub fn ps_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if matches!(c, '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}') {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    out
}

/// `$true` / `$false`.
fn ps_bool(b: bool) -> &'static str {
    if b { "$true" } else { "$false" }
}

/// `<Publisher>_<Name>_<Version>` with the characters invalid in Windows file names dropped
/// (as BcContainerHelper names app files); the runtime file is this stem plus
/// `.runtime-<bcVersion>[-<country>].app`.
///
/// ```
/// assert_eq!(runtime_pack::runtime::file_stem("Contoso: Ltd", "A/B", "1.0.0.0"), "Contoso Ltd_AB_1.0.0.0");
/// ```
pub fn file_stem(publisher: &str, name: &str, version: &str) -> String {
    format!("{publisher}_{name}_{version}")
        .chars()
        .filter(|c| {
            !c.is_control() && !matches!(c, '<' | '>' | ':' | '"' | '/' | '\\' | '|' | '?' | '*')
        })
        .collect()
}

/// What the name of a runtime package file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeFileName {
    /// `<Publisher>_<Name>_<Version>`.
    pub stem: String,
    /// The app version (the stem's last `_` part).
    pub version: String,
    /// The BC version it was made on (`24.0.16410.18056`, or `24.0`).
    pub bc_version: String,
    /// `major.minor` of `bc_version`.
    pub platform: (u32, u32),
    /// The localization (`w1`, `dk` …), when named.
    pub country: Option<String>,
}

/// Reads `<Publisher>_<Name>_<Version>.runtime-<bcVersion>[-<country>].app`. `None` when the
/// name does not follow it.
///
/// ```
/// use runtime_pack::runtime::parse_runtime_file_name;
/// let n = parse_runtime_file_name("Contoso_Loyalty_1.2.0.0.runtime-24.0.16410.18056-dk.app").unwrap();
/// assert_eq!((n.platform, n.country.as_deref(), n.version.as_str()), ((24, 0), Some("dk"), "1.2.0.0"));
/// assert_eq!(parse_runtime_file_name("Contoso_Loyalty_1.2.0.0.runtime-24.0.app").unwrap().country, None);
/// assert!(parse_runtime_file_name("Contoso_Loyalty_1.2.0.0.app").is_none());
/// ```
pub fn parse_runtime_file_name(file_name: &str) -> Option<RuntimeFileName> {
    let lower = file_name.to_ascii_lowercase();
    let body = lower.strip_suffix(".app")?;
    let at = body.rfind(".runtime-")?;
    let stem = file_name.get(..at)?.to_string();
    let tail = body.get(at + ".runtime-".len()..)?;
    let (bc_version, country) = match tail.split_once('-') {
        Some((v, c)) if !c.is_empty() && c.chars().all(|c| c.is_ascii_alphanumeric()) => {
            (v, Some(c.to_string()))
        }
        Some(_) => return None,
        None => (tail, None),
    };
    let parts: Vec<u32> = bc_version
        .split('.')
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    if !(2..=4).contains(&parts.len()) {
        return None;
    }
    let version = stem.rsplit_once('_')?.1.to_string();
    Some(RuntimeFileName {
        stem,
        version,
        bc_version: bc_version.to_string(),
        platform: (parts[0], parts[1]),
        country,
    })
}

impl ServerScript {
    /// The script text (CRLF-free, UTF-8 with BOM so Windows PowerShell 5.1 reads non-ASCII
    /// names right).
    ///
    /// ```
    /// use runtime_pack::runtime::{ServerScript, ScriptApp};
    /// let s = ServerScript {
    ///     platform: (24, 0), server_instance: "BC".into(), tenant: "default".into(),
    ///     country: "w1".into(), required: vec![], tool: "alkit".into(),
    ///     apps: vec![ScriptApp { id: uuid::Uuid::nil(), name: "O'Neil $App".into(),
    ///         publisher: "P".into(), version: "1.0.0.0".into(), file: "apps/P_O'Neil $App_1.0.0.0.app".into(),
    ///         show_my_code: false, include_source: true }],
    /// }.to_powershell();
    /// assert!(s.contains("Name = 'O''Neil $App'"));
    /// assert!(s.contains("Get-NAVAppRuntimePackage"));
    /// ```
    pub fn to_powershell(&self) -> String {
        let mut s = String::from("\u{feff}");
        let (major, minor) = self.platform;
        let n = self.apps.len();
        s.push_str(&format!(
            "<#\n  Made by {tool}: runtime packages of {n} app{plural} for Business Central {major}.{minor} on-premises.\n\n\
             \x20 Only a Business Central server makes runtime packages (Get-NAVAppRuntimePackage). Run this script\n\
             \x20 on the server, elevated, with its management module loaded (NavAdminTool.ps1 or\n\
             \x20 Microsoft.BusinessCentral.Management.psd1 from the service folder), or with -Container NAME on a\n\
             \x20 host that has BcContainerHelper. alkit wrote it; alkit has not run it.\n\n\
             \x20 App by app, dependencies first: Publish-NAVApp (skipped when that version is published),\n\
             \x20 Sync-NAVApp, Install-NAVApp (skipped when installed), then Get-NAVAppRuntimePackage into\n\
             \x20 -OutputFolder as <Publisher>_<Name>_<Version>.runtime-<bcVersion>[-<country>].app, bcVersion being\n\
             \x20 the server's Base Application version. It stops at the first error. Then check the result on\n\
             \x20 any machine: alkit runtime-check OUTPUTFOLDER --platform {major}.{minor} --sources <the apps>\n\
             #>\n",
            tool = self.tool,
            plural = if n == 1 { "" } else { "s" },
        ));
        s.push_str(&format!(
            "[CmdletBinding()]\nparam(\n    [string] $ServerInstance = {},\n    [string] $Tenant = {},\n    \
             [string] $Country = {},\n    [string] $OutputFolder = (Join-Path $PSScriptRoot 'runtime'),\n    \
             [string] $Container = ''\n)\n\nSet-StrictMode -Version 3.0\n$ErrorActionPreference = 'Stop'\n\n",
            ps_quote(&self.server_instance),
            ps_quote(&self.tenant),
            ps_quote(&self.country),
        ));
        s.push_str(&format!(
            "$Platform = {}\n",
            ps_quote(&format!("{major}.{minor}"))
        ));
        s.push_str(&format!(
            "$BaseApplicationId = {}\n",
            ps_quote(BASE_APPLICATION_ID)
        ));
        s.push_str("$Apps = @(\n");
        for a in &self.apps {
            s.push_str(&format!(
                "    [pscustomobject]@{{ Id = {}; Name = {}; Publisher = {}; Version = {}; File = {}; Stem = {}; ShowMyCode = {}; IncludeSource = {} }}\n",
                ps_quote(&a.id.to_string()),
                ps_quote(&a.name),
                ps_quote(&a.publisher),
                ps_quote(&a.version),
                ps_quote(&a.file),
                ps_quote(&file_stem(&a.publisher, &a.name, &a.version)),
                ps_bool(a.show_my_code),
                ps_bool(a.include_source),
            ));
        }
        s.push_str(")\n$Required = @(\n");
        for r in &self.required {
            s.push_str(&format!(
                "    [pscustomobject]@{{ Id = {}; Name = {}; Publisher = {}; MinVersion = {} }}\n",
                ps_quote(&r.id.to_string()),
                ps_quote(&r.name),
                ps_quote(&r.publisher),
                ps_quote(&r.min_version),
            ));
        }
        s.push_str(")\n");
        s.push_str(SCRIPT_BODY);
        s
    }
}

/// The data-independent part of the script: functions over `$Apps`/`$Required`.
const SCRIPT_BODY: &str = r#"
function Get-InstalledApps {
    if ($Container) {
        return @(Get-BcContainerAppInfo -containerName $Container -tenant $Tenant -tenantSpecificProperties)
    }
    return @(Get-NAVAppInfo -ServerInstance $ServerInstance -Tenant $Tenant -TenantSpecificProperties)
}

function Get-ServerPlatform {
    if ($Container) {
        return [version](Get-BcContainerPlatformVersion -containerOrImageName $Container)
    }
    return [version](Get-NAVServerInstance -ServerInstance $ServerInstance).Version
}

# 1. The server runs the platform the packages are for.
$serverPlatform = Get-ServerPlatform
if ("$($serverPlatform.Major).$($serverPlatform.Minor)" -ne $Platform) {
    throw "The server runs platform $serverPlatform; these runtime packages are planned for $Platform. Run alkit runtime again with --platform $($serverPlatform.Major).$($serverPlatform.Minor)."
}
$installed = Get-InstalledApps
$base = @($installed | Where-Object { "$($_.AppId)" -eq $BaseApplicationId })
if ($base.Count -eq 0) {
    throw "Base Application ($BaseApplicationId) is not on the server: its version names the runtime packages."
}
$bcVersion = "$($base[0].Version)"
$suffix = if ($Country -and $Country -ne 'w1') { "$bcVersion-$($Country.ToLowerInvariant())" } else { $bcVersion }

# 2. Apps the set depends on are installed (published with Publish-NAVApp, not from VS Code).
foreach ($r in $Required) {
    $found = @($installed | Where-Object { "$($_.AppId)" -eq $r.Id -and $_.IsInstalled -and [version]"$($_.Version)" -ge [version]$r.MinVersion })
    if ($found.Count -eq 0) {
        throw "Dependency $($r.Name) by $($r.Publisher) ($($r.Id)) $($r.MinVersion) or later is not installed on tenant $Tenant. Publish it with Publish-NAVApp and install it, then run this script again."
    }
}

New-Item -ItemType Directory -Force -Path $OutputFolder | Out-Null

# 3. Each app, dependencies first: publish, sync, install, runtime package.
foreach ($a in $Apps) {
    $appFile = Join-Path $PSScriptRoot $a.File
    $target = Join-Path $OutputFolder "$($a.Stem).runtime-$suffix.app"
    $state = @(Get-InstalledApps | Where-Object { "$($_.AppId)" -eq $a.Id -and "$($_.Version)" -eq $a.Version })
    if ($Container) {
        if ($state.Count -eq 0) {
            Publish-BcContainerApp -containerName $Container -appFile $appFile -skipVerification -sync -install -tenant $Tenant
        } elseif (-not $state[0].IsInstalled) {
            Sync-BcContainerApp -containerName $Container -appName $a.Name -appPublisher $a.Publisher -appVersion $a.Version -tenant $Tenant
            Install-BcContainerApp -containerName $Container -appName $a.Name -appPublisher $a.Publisher -appVersion $a.Version -tenant $Tenant
        }
        $made = Get-BcContainerAppRuntimePackage -containerName $Container -appName $a.Name -Publisher $a.Publisher -appVersion $a.Version -Tenant $Tenant -showMyCode $a.ShowMyCode -IncludeSourceInPackageFile $a.IncludeSource
        Copy-Item -LiteralPath $made -Destination $target -Force
    } else {
        $app = @{ ServerInstance = $ServerInstance; Name = $a.Name; Publisher = $a.Publisher; Version = $a.Version }
        if ($state.Count -eq 0) {
            Publish-NAVApp -ServerInstance $ServerInstance -Path $appFile -SkipVerification
        }
        if ($state.Count -eq 0 -or -not $state[0].IsInstalled) {
            Sync-NAVApp @app -Tenant $Tenant
            Install-NAVApp @app -Tenant $Tenant
        }
        # Splatted: works whether the server's cmdlet declares these as bool or switch parameters.
        $runtime = @{ Tenant = $Tenant; Path = $target; ShowMyCode = $a.ShowMyCode; IncludeSourceInPackageFile = $a.IncludeSource }
        Get-NAVAppRuntimePackage @app @runtime
    }
    if (-not (Test-Path -LiteralPath $target)) {
        throw "Get-NAVAppRuntimePackage wrote no $target"
    }
    Write-Host "runtime package: $target"
}
Write-Host "$($Apps.Count) runtime package(s) in $OutputFolder for Business Central $bcVersion. Check them: alkit runtime-check $OutputFolder --platform $Platform --sources <the apps>"
"#;
