; Inno Setup 6 script: a Windows installer for the frozen bundle in dist\parallax\.
;
;   python -m app.bootstrap build
;   iscc /DAppVersion=0.1.0 packaging\windows\parallax.iss
;   -> dist\packages\parallax-0.1.0-windows-x64-setup.exe
;
; Installs for the current user without administrator rights (or for everyone, if the user
; chooses so and can elevate), adds a Start menu entry, an optional desktop icon and the
; .parallax file type. The uninstaller removes the program folder and those entries; the
; user's projects and settings (%APPDATA%\Parallax) are left alone.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "Parallax"
#define AppExe "parallax.exe"
#define Root "..\.."

[Setup]
; Never change AppId: upgrades and the uninstaller find an installation by it.
AppId={{6F0C6A1E-3B7D-4C52-9A8E-5D2B1F4E7C90}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Parallax
AppComments=Read several news articles about one event side by side
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#Root}\dist\packages
OutputBaseFilename=parallax-{#AppVersion}-windows-x64-setup
SetupIconFile={#Root}\resources\icons\parallax.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesAssociations=yes
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole one-folder bundle: parallax.exe, parallax-cli.exe and _internal\.
Source: "{#Root}\dist\parallax\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the bundle; stale files of the previous version must not be loaded.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Compare news articles side by side"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; .parallax project files open in Parallax (HKA: per-user or machine-wide, as installed).
Root: HKA; Subkey: "Software\Classes\.parallax"; ValueType: string; ValueName: ""; ValueData: "Parallax.Project"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\Parallax.Project"; ValueType: string; ValueName: ""; ValueData: "Parallax project"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Parallax.Project\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\Parallax.Project\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" --project ""%1"""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
