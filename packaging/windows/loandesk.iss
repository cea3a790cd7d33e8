; Loan Desk (信贷工作台): the Windows installer, built with Inno Setup 6.3+ on Windows (it cannot be built on Linux).
;
;   1. Build the bundle on Windows:  py -3.11 -m venv .venv && .venv\Scripts\pip install -e .[bundle]
;                                    .venv\Scripts\python packaging\render_icon.py build\icons
;                                    set LOANDESK_BUNDLE_FONT=C:\path\to\wqy-microhei.ttc
;                                    .venv\Scripts\pyinstaller --noconfirm --clean packaging\loandesk.spec
;      which makes dist\loandesk\ with loandesk.exe (the command line) and loandeskw.exe (the window, no console).
;   2. Put ChineseSimplified.isl (Inno Setup's own Simplified Chinese messages, from the "Unofficial" folder of
;      Inno Setup's translations) into Inno Setup's Languages folder.
;   3. iscc /DAppVersion=0.1.0 packaging\windows\loandesk.iss   ->  dist\LoanDesk-0.1.0-setup.exe
;
; The data home is NOT in the program folder: platformdirs puts it in %LOCALAPPDATA%\LoanDesk (the user's
; AppData\Local, not the roaming %APPDATA%) and it holds the encrypted store, attachments and keys. Installing
; never writes there, and uninstalling never deletes it: [UninstallDelete] below names the program folder
; only, so a reinstall or an upgrade finds every record where it was. Remove the data home by hand, if ever.
; This file is UTF-8 with a byte-order mark, which Inno Setup needs to read the Chinese text.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#if !FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #error Copy ChineseSimplified.isl into Inno Setup's Languages folder first (see the top of this file)
#endif
#define BundleDir "..\..\dist\loandesk"

[Setup]
; Never change AppId: it is how an upgrade finds the installed copy.
AppId={{6F0C2A7E-4C1B-4E8D-9A57-3B2D5E8C1F40}
AppName=Loan Desk
AppVerName=Loan Desk {#AppVersion}
AppVersion={#AppVersion}
AppPublisher=Loan Desk
DefaultDirName={autopf}\LoanDesk
DefaultGroupName={cm:GroupName}
DisableProgramGroupPage=yes
OutputDir=..\..\dist
OutputBaseFilename=LoanDesk-{#AppVersion}-setup
SetupIconFile=..\..\build\icons\loandesk.ico
UninstallDisplayIcon={app}\loandesk.exe
UninstallDisplayName={cm:AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequired=admin
WizardStyle=modern
; Chinese first: the installer opens in Simplified Chinese unless Windows speaks English.
LanguageDetectionMethod=uilanguage
ShowLanguageDialog=auto

[Languages]
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
chinesesimplified.AppName=信贷工作台
english.AppName=Loan Desk
chinesesimplified.GroupName=信贷工作台
english.GroupName=Loan Desk
chinesesimplified.AppComment=小微企业首贷受理、评分与授信调查报告
english.AppComment=First-loan intake, scoring and credit memos for small and micro enterprises
chinesesimplified.SelfCheck=信贷工作台自检
english.SelfCheck=Loan Desk self-check
chinesesimplified.DesktopIcon=在桌面上创建快捷方式
english.DesktopIcon=Create a desktop shortcut
chinesesimplified.DataKept=您的数据（%1）已保留，未被删除。
english.DataKept=Your data (%1) has been kept, not deleted.

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; Flags: unchecked

[Files]
; The whole one-folder bundle: loandesk.exe, loandeskw.exe and _internal\ (Python, Qt, SQLCipher, the font,
; the rule packs, the memo template and the compiled translations).
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
; One Start-menu entry, named in the installer's language (信贷工作台 or Loan Desk), and the self-check,
; which opens a console window so the PASS/FAIL lines can be read (and read out to the help desk).
Name: "{group}\{cm:AppName}"; Filename: "{app}\loandeskw.exe"; Comment: "{cm:AppComment}"; IconFilename: "{app}\loandesk.exe"
Name: "{group}\{cm:SelfCheck}"; Filename: "{cmd}"; Parameters: "/k ""{app}\loandesk.exe"" --self-check"; IconFilename: "{app}\loandesk.exe"
Name: "{autodesktop}\{cm:AppName}"; Filename: "{app}\loandeskw.exe"; Tasks: desktopicon; IconFilename: "{app}\loandesk.exe"

[Run]
Filename: "{app}\loandeskw.exe"; Description: "{cm:LaunchProgram,{cm:AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; The program folder only (files Python or Qt may have added there, e.g. __pycache__). Never the data home
; (%LOCALAPPDATA%\LoanDesk): the bank's records outlive the program.
Type: filesandordirs; Name: "{app}\_internal"

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataHome: String;
begin
  if CurUninstallStep = usPostUninstall then
  begin
    DataHome := ExpandConstant('{localappdata}\LoanDesk');
    if DirExists(DataHome) and not UninstallSilent() then
      MsgBox(FmtMessage(CustomMessage('DataKept'), [DataHome]), mbInformation, MB_OK);
  end;
end;
