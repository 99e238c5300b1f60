#!/bin/sh
# connect-properties.sh SHIPPED TARGET: the worker file of the Tidemark image. TARGET is SHIPPED as it
# is, then one line per CONNECT_* environment variable (a later line wins), named as Confluent's
# images name them: the prefix dropped, lower case, "___" for "-", "__" for "_", "_" for ".":
#   CONNECT_BOOTSTRAP_SERVERS=kafka:9092                    -> bootstrap.servers=kafka:9092
#   CONNECT_CONFIG_PROVIDERS_FILE_PARAM_ALLOWED__PATHS=/x   -> config.providers.file.param.allowed_paths=/x
#   CONNECT_A___B=1                                         -> a-b=1
set -eu
shipped="$1"
target="$2"
cp "$shipped" "$target"
echo "# from CONNECT_* environment variables:" >>"$target"
env | grep '^CONNECT_' | while IFS='=' read -r name value; do
  # '@' cannot occur in a variable's name: it holds the place of "__" while "_" becomes ".".
  key=$(printf '%s' "${name#CONNECT_}" | sed -e 's/___/-/g' -e 's/__/@/g' -e 's/_/./g' -e 's/@/_/g' | tr 'A-Z' 'a-z')
  printf '%s=%s\n' "$key" "$value" >>"$target"
done
