@echo off
rem hpkp: HTTP Public Key Pinning tools. Needs Java 17 or newer: JAVA_HOME, or java on the PATH.
setlocal
set "LIB=%~dp0..\lib"
if defined JAVA_HOME (set "JAVA=%JAVA_HOME%\bin\java.exe") else (set "JAVA=java")
"%JAVA%" %HPKP_JAVA_OPTS% -cp "%LIB%\*" dev.hpkp.cli.Hpkp %*
exit /b %ERRORLEVEL%
