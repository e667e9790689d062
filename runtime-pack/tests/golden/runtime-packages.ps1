<#
  Made by alkit test: runtime packages of 2 apps for Business Central 24.0 on-premises.

  Only a Business Central server makes runtime packages (Get-NAVAppRuntimePackage). Run this script
  on the server, elevated, with its management module loaded (NavAdminTool.ps1 or
  Microsoft.BusinessCentral.Management.psd1 from the service folder), or with -Container NAME on a
  host that has BcContainerHelper. alkit wrote it; alkit has not run it.

  App by app, dependencies first: Publish-NAVApp (skipped when that version is published),
  Sync-NAVApp, Install-NAVApp (skipped when installed), then Get-NAVAppRuntimePackage into
  -OutputFolder as <Publisher>_<Name>_<Version>.runtime-<bcVersion>[-<country>].app, bcVersion being
  the server's Base Application version. It stops at the first error. Then check the result on
  any machine: alkit runtime-check OUTPUTFOLDER --platform 24.0 --sources <the apps>
#>
[CmdletBinding()]
param(
    [string] $ServerInstance = 'BC240',
    [string] $Tenant = 'default',
    [string] $Country = 'dk',
    [string] $OutputFolder = (Join-Path $PSScriptRoot 'runtime'),
    [string] $Container = ''
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$Platform = '24.0'
$BaseApplicationId = '437dbf0e-84ff-417a-965d-ed2bb9650972'
$Apps = @(
    [pscustomobject]@{ Id = '00000000-0000-0000-0000-000000000001'; Name = 'Customer Loyalty'; Publisher = 'Contoso Partners'; Version = '1.2.0.0'; File = 'apps/Contoso Partners_Customer Loyalty_1.2.0.0.app'; Stem = 'Contoso Partners_Customer Loyalty_1.2.0.0'; ShowMyCode = $false; IncludeSource = $true }
    [pscustomobject]@{ Id = '00000000-0000-0000-0000-000000000002'; Name = 'O''Neil''s "Rewards" $(Get-Date) `n'; Publisher = 'Contoso ‘‘Partners’’'; Version = '1.2.0.0'; File = 'apps/Contoso ‘‘Partners’’_O''Neil''s "Rewards" $(Get-Date) `n_1.2.0.0.app'; Stem = 'Contoso ‘‘Partners’’_O''Neil''s Rewards $(Get-Date) `n_1.2.0.0'; ShowMyCode = $true; IncludeSource = $true }
)
$Required = @(
    [pscustomobject]@{ Id = '00000000-0000-0000-0000-000000000003'; Name = 'Partner Base'; Publisher = 'Fabrikam'; MinVersion = '2.0.0.0' }
)

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
