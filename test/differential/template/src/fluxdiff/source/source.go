// Package source mirrors IAC's source.TemplateData.
package source

import (
	"fluxdiff/types"
	"fluxdiff/update"
)

type TemplateData struct {
	AutomationObject types.NamespacedName
	Changed          update.Result
	Values           map[string]string
}
