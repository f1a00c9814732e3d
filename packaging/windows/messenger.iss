; Messenger for Windows: Inno Setup 6 script, compiled by packaging/build.py --target windows:
;   iscc /DAppVersion=0.1.0 /DBundleDir=dist\windows\messenger /DIconFile=build\windows\icons\messenger.ico /Odist messenger.iss
; Installs for the current user without administrator rights (%LOCALAPPDATA%\Programs\Messenger);
; the "for all users" choice asks for elevation. Start-menu entry, optional desktop icon.
; Uninstalling keeps the user's data (%APPDATA%\Messenger) unless the user asks to remove it
; (a question, or /REMOVEDATA on a silent uninstall).

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\windows\messenger"
#endif
#ifndef IconFile
  #define IconFile "..\..\build\windows\icons\messenger.ico"
#endif

[Setup]
AppId={{B3D8FEDE-0ACC-40AE-BD4A-F80C92C4EFAC}
AppName=Messenger
AppVersion={#AppVersion}
AppVerName=Messenger {#AppVersion}
AppPublisher=Messenger developers
DefaultDirName={autopf}\Messenger
DefaultGroupName=Messenger
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputBaseFilename=Messenger-{#AppVersion}-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\messenger.exe
UninstallDisplayName=Messenger
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
RestartApplications=no
MinVersion=10.0

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"

[CustomMessages]
english.RemoveData=Also remove your Messenger data on this computer (accounts, cached chats, the local server's messages)?%n%nChoose No to keep it for a later installation.
chinesesimplified.RemoveData=是否同时删除本机上的 Messenger 数据（帐号、聊天缓存、本机服务器的消息）？%n%n选择“否”可保留数据，供以后重新安装时使用。

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Messenger"; Filename: "{app}\messenger.exe"; AppUserModelID: "Messenger.Messenger"
Name: "{autodesktop}\Messenger"; Filename: "{app}\messenger.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\messenger.exe"; Description: "{cm:LaunchProgram,Messenger}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Files the app writes next to itself (none today; Python caches, logs of a future version).
Type: filesandordirs; Name: "{app}\_internal\__pycache__"

[Code]
function HasSwitch(const Name: String): Boolean;
var
  I: Integer;
begin
  Result := False;
  for I := 1 to ParamCount do
    if CompareText(ParamStr(I), Name) = 0 then
      Result := True;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  RemoveData: Boolean;
begin
  if CurUninstallStep = usPostUninstall then
  begin
    if UninstallSilent then
      RemoveData := HasSwitch('/REMOVEDATA')
    else
      RemoveData := MsgBox(CustomMessage('RemoveData'), mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES;
    if RemoveData then
      DelTree(ExpandConstant('{userappdata}\Messenger'), True, True, True);
  end;
end;
